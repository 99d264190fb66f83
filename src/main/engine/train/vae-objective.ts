/**
 * The training objective of a batch: encode, reparameterise with the given ε, decode, and the
 * β-VAE loss with the model's own reconstruction kind. Built in this one place: the engine
 * thread's step (train-step.ts), the training workers' shards (parallel/train-worker.ts) and the
 * held-out evaluation (held-out.ts) all call it, so a new term of the loss reaches every training
 * path at once, through the model's config alone.
 */
import * as tf from '../tf'
import { reparameterize, vaeLoss, type VaeLossTerms } from '../model/losses'
import type { VaeModel } from '../model/vae-model'

/** The loss terms (batch means, scalars: loss = recon + β·kl) and the codes they came from. */
export interface Objective extends VaeLossTerms {
  mu: tf.Tensor2D
  logVar: tf.Tensor2D
}

/** What weighs a batch's terms: β, and the calibrated Gaussian's σ² (see `reconPerImage`). */
export interface ObjectiveWeights {
  beta: number
  noiseVariance: number
}

/** Call inside `tf.variableGrads` or `tf.tidy`: the tensors it makes are theirs to free. */
export function vaeObjective(model: VaeModel, x: tf.Tensor4D, eps: tf.Tensor2D, weights: ObjectiveWeights): Objective {
  const { mu, logVar } = model.encode(x)
  const logits = model.decodeLogits(reparameterize(mu, logVar, eps))
  return { ...vaeLoss({ x, logits, mu, logVar, ...weights, kind: model.config.recon }), mu, logVar }
}

/** A step's terms, batch means: loss = recon + β·kl, and the mean squared error per pixel. */
export type StepTerms = [loss: number, recon: number, kl: number, squaredError: number]

/**
 * The objective of a batch of `rows` images (`batch`: their pixels as floats, `eps` their noise)
 * and the gradient of `share` × its loss over the model's trainable weights: the whole step on
 * the engine thread (share 1), or one shard of it on a worker (share = rows ÷ batch, so that the
 * shards' gradients sum to the batch's). The caller frees `grads`.
 */
export function objectiveGradients(
  model: VaeModel,
  batch: Float32Array,
  eps: Float32Array,
  rows: number,
  weights: ObjectiveWeights,
  share = 1
): { terms: StepTerms; grads: tf.NamedTensorMap } {
  const { imageSize: size, channels, latentDim } = model.config
  let terms: tf.Tensor1D | undefined
  const { value, grads } = tf.variableGrads(() => {
    const t = vaeObjective(model, tf.tensor4d(batch, [rows, size, size, channels]), tf.tensor2d(eps, [rows, latentDim]), weights)
    terms = tf.keep(tf.stack([t.loss, t.recon, t.kl, t.squaredError]) as tf.Tensor1D)
    return share === 1 ? t.loss : tf.mul(t.loss, share)
  }, model.trainableVariables)
  const [loss, recon, kl, squaredError] = terms!.dataSync()
  tf.dispose([terms!, value])
  return { terms: [loss, recon, kl, squaredError], grads }
}
