/**
 * One optimisation step. Gradients are computed first and applied only when the loss is finite,
 * so a NaN/Inf step never reaches the weights.
 */
import * as tf from '../tf'
import type { ReconKind } from '../model/losses'
import { reparameterize, vaeLoss } from '../model/losses'
import type { VaeModel } from '../model/vae-model'
import type { StepResult } from './step-runner'

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
