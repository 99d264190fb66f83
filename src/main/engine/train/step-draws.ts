/**
 * Every random draw of a run's steps: the batch's rows (a pure function of the seed, the epoch and
 * how many images of it were seen: the next batch, or what is left of the epoch), their flips and
 * ε (from the run's one generator, whose state a checkpoint keeps).
 *
 * A step's draws are held until the step has landed. A step that must be taken again (a worker
 * was lost under it) gets the very same draws, and a checkpoint saved meanwhile records the
 * generator from before them, so a run resumed from it draws them again and takes exactly the
 * step the uninterrupted run took.
 */
import type { TrainConfig } from '../../../shared/config'
import { Rng, type RngState } from '../random/rng'
import { epochOrder, type DataSplit } from './data-split'
import type { StepRequest } from './step-runner'

export type StepDraw = Omit<StepRequest, 'beta' | 'noiseVariance'>

export class StepDraws {
  private readonly rng: Rng
  private orderCache: { epoch: number; order: number[] } | null = null
  /** The draws of a step not landed yet, and the generator's state before them. */
  private pending: { step: number; draw: StepDraw; before: RngState } | null = null

  constructor(
    private readonly split: DataSplit,
    private readonly config: Pick<TrainConfig, 'seed' | 'batchSize' | 'augmentFlip'>,
    private readonly latentDim: number,
    /** A checkpoint's generator state, or none for a new run. */
    state?: RngState
  ) {
    this.rng = new Rng(state ?? config.seed + 1)
  }

  /**
   * The draws of step `step` (0-based), taken after `imagesSeen` training images: the held ones if
   * that step is still to land, else new ones.
   */
  next(step: number, imagesSeen: number): StepDraw {
    if (this.pending?.step === step) return this.pending.draw
    const before = this.rng.state
    const trainImages = this.split.train.length
    const rows = this.rows(Math.floor(imagesSeen / trainImages), imagesSeen % trainImages)
    const flips = this.config.augmentFlip ? rows.map(() => this.rng.next() < 0.5) : undefined
    const eps = new Float32Array(rows.length * this.latentDim)
    for (let i = 0; i < eps.length; i++) eps[i] = this.rng.normal()
    const draw = { rows, flips, eps }
    this.pending = { step, draw, before }
    return draw
  }

  /** The step landed (or was rejected as non-finite: its noise is not drawn again, or it would fail again). */
  spent(): void {
    this.pending = null
  }

  /** What a checkpoint keeps: the generator before a step still to land, else as it is. */
  get state(): RngState {
    return this.pending?.before ?? this.rng.state
  }

  /** The batch from `position` on in `epoch`'s order; it stops at the epoch's end. */
  private rows(epoch: number, position: number): number[] {
    if (this.orderCache?.epoch !== epoch) this.orderCache = { epoch, order: epochOrder(this.split.train, this.config.seed, epoch) }
    return this.orderCache.order.slice(position, position + this.config.batchSize)
  }
}
