/**
 * The "sharpen" option's schedule and guard. From step `sharpenAfter` (the faces learned) a patch
 * discriminator judges the reconstructions and the VAE gains its adversarial term, weighed by
 * VQGAN's adaptive λ = w · ‖∇ rec‖ / ‖∇ adv‖ (gradient norms at the decoder's logits, from the
 * step before: the shards report them, so λ is the same whatever the thread count) and ramped in
 * over `rampSteps`. Everything here is plain numbers kept in the checkpoint, so a resumed run
 * takes exactly the steps the uninterrupted one would have.
 *
 * The guard: adversarial terms can run away (the reconstructions degrade while the discriminator
 * wins). When the squared error's running mean climbs `tolerance` × above its level when the term
 * started, the weight is halved; after `maxBackoffs` halvings it is turned off. Each says why.
 */
import type { TrainConfig } from '../../../shared/config'
import { initialDiscriminator } from '../model/patch-discriminator'
import type { Checkpoint, SharpenCheckpoint } from '../project/checkpoint-manifest'
import type { DiscriminatorState } from './step-runner'

export const rampSteps = 100
/** λ's ceiling: with a vanishing adversarial gradient λ would otherwise explode. */
export const maxLambda = 1e4
/** A rise of the squared error by this factor over its level at the start backs the term off. */
export const tolerance = 1.5
export const maxBackoffs = 2
/** Steps after the start or a back-off before the guard judges again. */
export const graceSteps = 200
/** The running means' decay per step (about a 50-step window). */
const decay = 0.98

/** What a checkpoint keeps of the schedule (fields explained in checkpoint-manifest.ts). */
export type SharpenSchedule = Omit<SharpenCheckpoint, 'tensors' | 'discriminatorSteps'>

/** The discriminator a sharpening run starts from: its checkpoint's, else a fresh one from the run's seed. */
export function startingDiscriminator(resume: Checkpoint | null, channels: number, seed: number): DiscriminatorState {
  return discriminatorIn(resume) ?? { tensors: initialDiscriminator(channels, seed), steps: 0 }
}

export function discriminatorIn(checkpoint: Checkpoint | null): DiscriminatorState | undefined {
  return checkpoint?.sharpen && { tensors: checkpoint.sharpen.tensors, steps: checkpoint.sharpen.discriminatorSteps }
}

export class Sharpener {
  private schedule: SharpenSchedule

  constructor(
    private readonly config: Pick<TrainConfig, 'sharpen' | 'sharpenAfter'>,
    saved?: SharpenSchedule
  ) {
    this.schedule =
      saved && saved.chosen === config.sharpen
        ? { ...saved }
        : { chosen: config.sharpen, weight: config.sharpen, lambda: 0, errorMean: null, errorAtStart: null, backoffs: 0, calmUntil: 0 }
  }

  get state(): SharpenSchedule {
    return { ...this.schedule }
  }

  /** Whether the run carries a discriminator at all. */
  get configured(): boolean {
    return this.config.sharpen > 0
  }

  /** The adversarial term's weight for the step after `step` (its discriminator trains with it), or undefined: no term. */
  weightFor(step: number): number | undefined {
    const { weight, lambda } = this.schedule
    if (weight === 0 || step < this.config.sharpenAfter) return undefined
    const ramp = Math.min(1, (step + 1 - this.config.sharpenAfter) / rampSteps)
    // Never 0: the step must still measure the adversarial gradient's norm, per unit of weight.
    return Math.max(lambda * ramp, 1e-8)
  }

  /** After step `step` (which had `used` as its adversarial weight): the next λ, and a sentence when the term started or the guard acted. */
  record(
    step: number,
    used: number | undefined,
    result: { squaredError: number; reconGradientSq: number; adversarialGradientSq: number }
  ): string | null {
    const s = this.schedule
    if (!this.configured) return null
    s.errorMean = s.errorMean === null ? result.squaredError : decay * s.errorMean + (1 - decay) * result.squaredError
    if (used === undefined) return null
    const reconNorm = Math.sqrt(result.reconGradientSq)
    const adversarialNorm = Math.sqrt(result.adversarialGradientSq)
    s.lambda = Math.min(maxLambda, (s.weight * reconNorm) / (adversarialNorm + 1e-4))
    if (s.errorAtStart === null) {
      s.errorAtStart = s.errorMean
      s.calmUntil = step + graceSteps
      return `Sharpening started: a critic now judges the reconstructions, ramping in over ${rampSteps} steps.`
    }
    if (step < s.calmUntil || s.errorMean <= tolerance * s.errorAtStart) return null
    const rise = `the squared error rose from ${s.errorAtStart.toPrecision(3)} to ${s.errorMean.toPrecision(3)} since sharpening began`
    s.calmUntil = step + graceSteps
    if (s.backoffs >= maxBackoffs) {
      s.weight = 0
      return `Sharpening turned off: ${rise}, also at a quarter of its weight. The run goes on without it.`
    }
    s.backoffs++
    s.weight /= 2
    s.lambda /= 2
    return `Sharpening backed off to weight ${s.weight}: ${rise}.`
  }
}
