/**
 * One optimisation step. Gradients are computed first and applied only when the loss is finite,
 * so a NaN/Inf step never reaches the weights.
 */
import * as tf from '../tf'
import type { ReconKind } from '../model/losses'
import { klPerDim, reparameterize, vaeLoss } from '../model/losses'
import type { VaeModel } from '../model/vae-model'

export interface StepResult {
  loss: number
  recon: number
  kl: number
  applied: boolean
}

export function trainStep(args: {
  model: VaeModel
  optimizer: tf.Optimizer
  batch: Float32Array
  eps: Float32Array
  batchSize: number
  beta: number
  recon: ReconKind
}): StepResult {
  const { model, optimizer, batchSize } = args
  const { imageSize: size, channels, latentDim } = model.config
  let terms: tf.Tensor1D | undefined
  const { value, grads } = tf.variableGrads(() => {
    const x = tf.tensor4d(args.batch, [batchSize, size, size, channels])
    const eps = tf.tensor2d(args.eps, [batchSize, latentDim])
    const { mu, logVar } = model.encode(x)
    const logits = model.decodeLogits(reparameterize(mu, logVar, eps))
    const t = vaeLoss({ x, logits, mu, logVar, beta: args.beta, kind: args.recon })
    terms = tf.keep(tf.stack([t.loss, t.recon, t.kl]) as tf.Tensor1D)
    return t.loss
  }, model.trainableVariables)
  const [loss, recon, kl] = Array.from(terms!.dataSync())
  terms!.dispose()
  value.dispose()
  const applied = Number.isFinite(loss) && Number.isFinite(recon) && Number.isFinite(kl)
  if (applied) optimizer.applyGradients(grads)
  tf.dispose(grads)
  return { loss, recon, kl, applied }
}

/** Held-out terms with fixed noise so epochs compare like with like. */
export function evaluate(args: {
  model: VaeModel
  batches: Array<{ batch: Float32Array; eps: Float32Array; size: number }>
  beta: number
  recon: ReconKind
}): { loss: number; recon: number; kl: number; klPerDim: number[] } {
  const { model } = args
  const { imageSize: size, channels, latentDim } = model.config
  let n = 0
  let recon = 0
  let kl = 0
  const klDims = new Float64Array(latentDim)
  for (const b of args.batches) {
    tf.tidy(() => {
      const x = tf.tensor4d(b.batch, [b.size, size, size, channels])
      const { mu, logVar } = model.encode(x)
      const logits = model.decodeLogits(reparameterize(mu, logVar, tf.tensor2d(b.eps, [b.size, latentDim])))
      const t = vaeLoss({ x, logits, mu, logVar, beta: 1, kind: args.recon })
      const perDim = tf.sum(klPerDim(mu, logVar), 0).dataSync()
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
