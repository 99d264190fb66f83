/**
 * Times a few training steps of a throwaway copy of the model, taken as the run would take them
 * (the same batches, the same threads), so the Train view can say how long a run will take before
 * the first one. The first step is left out of the timing: it compiles kernels and warms caches.
 * A run also spends time on epoch reports and checkpoints, which `runOverhead` allows for.
 */
import type { ModelConfig, TrainConfig } from '../../../shared/config'
import type { Pace } from '../../../shared/run-length'
import { VaeModel } from '../model/vae-model'
import type { DatasetPixels } from './batch-builder'
import { splitIndices } from './data-split'
import { startRunner } from './start-runner'
import { StepDraws } from './step-draws'
import { initialGaussianVariance } from '../model/losses'

/** What a run spends besides its steps (reports, checkpoints, progress), as a share of them. */
export const runOverhead = 1.1

export interface MeasurePaceOptions {
  model: ModelConfig
  train: TrainConfig
  data: DatasetPixels & { count: number }
  workers?: number
  /** Steps timed after the warm-up one (default 3). */
  steps?: number
}

export async function measurePace({ model, train, data, workers, steps = 3 }: MeasurePaceOptions): Promise<Pace> {
  const vae = new VaeModel(model, train.seed)
  try {
    const runner = await startRunner({ model: vae, data, learningRate: train.learningRate, resume: null, workers })
    try {
      const draws = new StepDraws(splitIndices(data.count, train.valFraction, train.seed), train, model.latentDim)
      let imagesSeen = 0
      const take = async (step: number): Promise<number> => {
        const draw = draws.next(step, imagesSeen)
        draws.spent()
        const result = await runner.step({ ...draw, beta: train.beta, noiseVariance: initialGaussianVariance })
        if ('lost' in result) throw new Error(result.lost)
        imagesSeen += draw.rows.length
        return draw.rows.length
      }
      await take(0)
      const started = performance.now()
      let images = 0
      for (let step = 1; step <= steps; step++) images += await take(step)
      const seconds = (performance.now() - started) / 1000
      return { secPerStep: (seconds / steps) * runOverhead, imagesPerStep: images / steps, source: 'measured' }
    } finally {
      await runner.dispose()
    }
  } finally {
    vae.dispose()
  }
}
