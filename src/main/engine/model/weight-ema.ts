/**
 * An exponential moving average of the weights, for decoding (samples, grids) rather than
 * training: Adam's last steps jitter the weights around a point the average sits closer to, and
 * images decoded from the average are steadier and often better. Kept on plain arrays, so it can
 * follow weights wherever they live (the engine's model, shared memory, a checkpoint).
 *
 * With `warmup` the decay ramps up as min(decay, (1 + t) / (10 + t)) over the first updates, so an
 * average started at step 0 is not dominated by the random initial weights (TensorFlow's
 * num_updates rule); it reaches 0.995 only after ~1,800 updates and 0.999 after ~9,000.
 */
import type { NamedArray } from '../project/checkpoint-manifest'

export class WeightEma {
  private average: NamedArray[] | null = null
  private updates = 0

  constructor(
    readonly decay: number,
    readonly warmup = true
  ) {
    if (!(decay > 0 && decay < 1)) throw new Error(`an EMA decay must lie in (0, 1), got ${decay}`)
  }

  /** The decay the next update will use. */
  get currentDecay(): number {
    return this.warmup ? Math.min(this.decay, (1 + this.updates) / (10 + this.updates)) : this.decay
  }

  update(weights: readonly NamedArray[]): void {
    if (this.average === null) {
      this.average = weights.map((w) => ({ name: w.name, shape: [...w.shape], data: Float32Array.from(w.data) }))
      this.updates = 1
      return
    }
    if (weights.length !== this.average.length) throw new Error(`the EMA holds ${this.average.length} tensors, the update ${weights.length}`)
    const d = this.currentDecay
    weights.forEach((w, i) => {
      const avg = this.average![i].data
      if (w.data.length !== avg.length) throw new Error(`EMA tensor ${w.name} changed size`)
      for (let j = 0; j < avg.length; j++) avg[j] = d * avg[j] + (1 - d) * w.data[j]
    })
    this.updates++
  }

  /** The averaged weights (copies), in the order and with the names they were given; null before the first update. */
  weights(): NamedArray[] | null {
    return this.average?.map((w) => ({ name: w.name, shape: [...w.shape], data: Float32Array.from(w.data) })) ?? null
  }
}
