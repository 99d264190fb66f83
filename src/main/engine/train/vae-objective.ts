/**
 * The training objective of a batch: encode, reparameterise with the given ε, decode, and the
 * β-VAE loss with the model's own reconstruction kind. Built in this one place: the engine
 * thread's step (train-step.ts), the training workers' shards (parallel/train-worker.ts) and the
 * held-out evaluation (held-out.ts) all call it, so a new term of the loss reaches every training
 * path at once, through the model's config alone.
 */
import * as tf from '../tf'
import { reparameterize, vaeLoss, type VaeLossTerms } from '../model/losses'
import type { PatchDiscriminator } from '../model/patch-discriminator'
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

/**
 * A step's terms: loss = recon + β·kl, the mean squared error per pixel, and the sharpen option's
 * three (zero without it): the discriminator's hinge loss, and the squared norms of the gradients
 * of the reconstruction term and of the adversarial term (per unit of its weight) at the decoder's
 * logits, from which the trainer balances the two (see train/sharpen.ts).
 */
export type StepTerms = [
  loss: number,
  recon: number,
  kl: number,
  squaredError: number,
  discriminatorLoss: number,
  reconGradientSq: number,
  adversarialGradientSq: number
]

/** The sharpen option's part of a step: the discriminator, and the weight of its term on the VAE. */
export interface Adversary {
  discriminator: PatchDiscriminator
  /** λ for this step (> 0); its gradient norm is reported per unit of it. */
  weight: number
}

/**
 * The objective of a batch of `rows` images (`batch`: their pixels as floats, `eps` their noise)
 * and the gradient of `share` × its loss over the model's trainable weights: the whole step on
 * the engine thread (share 1), or one shard of it on a worker (share = rows ÷ batch, so that the
 * shards' gradients sum to the batch's). The terms come as this shard's part of the batch's, so
 * they too sum over shards: means × `share`, squared gradient norms as they are (each image's
 * logits live in one shard). With an `adversary`, the VAE's loss gains weight × −mean D(x̂) and
 * `grads` also holds the discriminator's (its hinge loss on x and x̂, × `share`; both sets from
 * the same weights, applied together). The caller frees `grads`.
 */
export function objectiveGradients(
  model: VaeModel,
  batch: Float32Array,
  eps: Float32Array,
  rows: number,
  weights: ObjectiveWeights,
  share = 1,
  adversary?: Adversary
): { terms: StepTerms; grads: tf.NamedTensorMap } {
  const { imageSize: size, channels, latentDim } = model.config
  const scaled = (loss: tf.Scalar): tf.Scalar => (share === 1 ? loss : tf.mul(loss, share))
  const x = tf.tensor4d(batch, [rows, size, size, channels])
  const noise = tf.tensor2d(eps, [rows, latentDim])
  const vectors = adversary?.discriminator.singularVectors() ?? []
  const kept: tf.Tensor[] = []
  const keep = <T extends tf.Tensor>(t: T): T => (kept.push(t), tf.keep(t))
  let reconSq: tf.Scalar | undefined
  let adversarialSq: tf.Scalar | undefined
  let fake: tf.Tensor4D | undefined
  let generated: tf.Tensor1D | undefined
  const { value, grads } = tf.variableGrads(() => {
    const { mu, logVar } = model.encode(x)
    const logits = model.decodeLogits(reparameterize(mu, logVar, noise))
    if (!adversary) {
      const t = vaeLoss({ x, logits, mu, logVar, ...weights, kind: model.config.recon })
      generated = keep(tf.stack([t.loss, t.recon, t.kl, t.squaredError]) as tf.Tensor1D)
      return scaled(t.loss)
    }
    const reconLogits = recordSquaredGradient(logits, (sq) => (reconSq = keep(sq)))
    const t = vaeLoss({ x, logits: reconLogits, mu, logVar, ...weights, kind: model.config.recon })
    const images = tf.sigmoid(recordSquaredGradient(logits, (sq) => (adversarialSq = keep(tf.div(sq, adversary.weight ** 2)))))
    fake = keep(tf.clone(images) as tf.Tensor4D)
    const generatorLoss = tf.neg(tf.mean(adversary.discriminator.apply(images as tf.Tensor4D, vectors)))
    generated = keep(tf.stack([t.loss, t.recon, t.kl, t.squaredError]) as tf.Tensor1D)
    return scaled(tf.add(t.loss, tf.mul(generatorLoss, adversary.weight)))
  }, model.trainableVariables)
  let discriminatorLoss: tf.Scalar | undefined
  if (adversary) {
    const critic = tf.variableGrads(() => {
      const real = tf.mean(tf.relu(tf.sub(1, adversary.discriminator.apply(x, vectors))))
      const faked = tf.mean(tf.relu(tf.add(1, adversary.discriminator.apply(fake!, vectors))))
      discriminatorLoss = keep(tf.add(real, faked) as tf.Scalar)
      return scaled(discriminatorLoss)
    }, adversary.discriminator.variables)
    Object.assign(grads, critic.grads)
    // Freed with the rest below: with share 1 it is the loss itself.
    kept.push(critic.value)
  }
  const [loss, recon, kl, squaredError] = generated!.dataSync()
  const read = (t: tf.Scalar | undefined): number => (t ? t.dataSync()[0] : 0)
  const terms: StepTerms = [
    loss * share,
    recon * share,
    kl * share,
    squaredError * share,
    read(discriminatorLoss) * share,
    read(reconSq),
    read(adversarialSq)
  ]
  tf.dispose([value, x, noise, ...kept, ...vectors.flatMap(({ u, v }) => [u, v])])
  return { terms, grads }
}

/** An identity whose backward pass hands `record` the squared norm of the gradient through it. */
function recordSquaredGradient(x: tf.Tensor4D, record: (squaredNorm: tf.Scalar) => void): tf.Tensor4D {
  const identity = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.clone(inputs[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
      record(tf.sum(tf.square(dy as tf.Tensor)) as tf.Scalar)
      return dy as tf.Tensor
    }
  }))
  return identity(x) as tf.Tensor4D
}
