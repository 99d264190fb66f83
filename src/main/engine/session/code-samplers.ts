/**
 * The open project's code sampler, kept per model version: a fit encodes up to 1,024 training
 * faces and chooses a mixture (about a second), too slow to repeat for every grid. While a run
 * trains, a fit serves `refitAfterSteps` steps, so the previews and grids asked for during
 * training cost one fit every few hundred steps instead of one each.
 */
import type { TrainConfig } from '../../../shared/config'
import type { VaeModel } from '../model/vae-model'
import { fitCodeSampler, type CodeSampler } from '../sampling/code-sampler'
import type { DatasetPixels } from '../train/batch-builder'
import { splitIndices } from '../train/data-split'

export const refitAfterSteps = 200

interface Kept {
  model: VaeModel
  step: number
  data: DatasetPixels
  split: string
  sampler: CodeSampler
}

export class CodeSamplers {
  private kept: Kept | null = null

  /** The fitted sampler for codes decoded by `current` (the live model while `training`); the session decides when the prior is drawn instead. */
  fitted(
    current: { model: VaeModel; step: number },
    data: DatasetPixels & { count: number },
    train: Pick<TrainConfig, 'valFraction' | 'seed'>,
    training: boolean
  ): CodeSampler {
    const split = `${train.valFraction}/${train.seed}`
    const kept = this.kept
    const fresh = kept?.step === current.step || (training && current.step - (kept?.step ?? -Infinity) < refitAfterSteps)
    if (kept && kept.model === current.model && kept.data === data && kept.split === split && fresh) return kept.sampler
    const sampler = fitCodeSampler(current.model, data, splitIndices(data.count, train.valFraction, train.seed).train)
    this.kept = { model: current.model, step: current.step, data, split, sampler }
    return sampler
  }
}
