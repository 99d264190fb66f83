/**
 * Held-out terms: the loss of fixed validation batches, each with its own fixed noise so epochs
 * compare like with like. The engine thread computes them here; training workers compute them
 * batch by batch (the same function) and the coordinator sums their answers in batch order.
 */
import * as tf from '../tf'
import { klPerDim } from '../model/losses'
import type { VaeModel } from '../model/vae-model'
import type { HeldOutTerms } from './step-runner'
import { vaeObjective } from './vae-objective'

/** One batch's terms, batch means, as a worker reports them. */
export interface BatchTerms {
  /** The batch's place in the request (answers are summed in this order). */
  index: number
  size: number
  recon: number
  kl: number
  klPerDim: number[]
}

/** Held-out terms of `batches` at the model's weights, the Gaussian's at the run's σ² (β only weighs the reported loss). */
export function evaluate(args: {
  model: VaeModel
  batches: Array<{ batch: Float32Array; eps: Float32Array; size: number }>
  beta: number
  noiseVariance: number
}): HeldOutTerms {
  const { model } = args
  const { imageSize: size, channels, latentDim } = model.config
  let n = 0
  let recon = 0
  let kl = 0
  const klDims = new Float64Array(latentDim)
  for (const b of args.batches) {
    tf.tidy(() => {
      const x = tf.tensor4d(b.batch, [b.size, size, size, channels])
      const t = vaeObjective(model, x, tf.tensor2d(b.eps, [b.size, latentDim]), { beta: 1, noiseVariance: args.noiseVariance })
      const perDim = tf.sum(klPerDim(t.mu, t.logVar), 0).dataSync()
      recon += t.recon.dataSync()[0] * b.size
      kl += t.kl.dataSync()[0] * b.size
      perDim.forEach((v, i) => (klDims[i] += v))
      n += b.size
    })
  }
  const meanRecon = recon / n
  const meanKl = kl / n
  return { loss: meanRecon + args.beta * meanKl, recon: meanRecon, kl: meanKl, klPerDim: Array.from(klDims, (v) => v / n) }
}

/** Per-batch answers summed in batch order into the terms of all of them. */
export function sumBatches(batches: readonly BatchTerms[], beta: number, latentDim: number): HeldOutTerms {
  const ordered = [...batches].sort((a, b) => a.index - b.index)
  let n = 0
  let recon = 0
  let kl = 0
  const klDims = new Float64Array(latentDim)
  for (const b of ordered) {
    recon += b.recon * b.size
    kl += b.kl * b.size
    b.klPerDim.forEach((v, i) => (klDims[i] += v * b.size))
    n += b.size
  }
  return { loss: (recon + beta * kl) / n, recon: recon / n, kl: kl / n, klPerDim: Array.from(klDims, (v) => v / n) }
}
