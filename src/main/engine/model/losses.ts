/**
 * The β-VAE objective, per image: reconstruction summed over pixels plus β · KL(N(μ,σ²) ‖ N(0,1)),
 * averaged over the batch. The decoder emits logits so BCE can use the stable
 * sigmoid-cross-entropy-with-logits form; MSE compares sigmoid(logits) with the image.
 */
import * as tf from '../tf'
import type { ReconKind } from '../../../shared/config'

/** KL(N(μ, σ²) ‖ N(0, 1)) per latent dimension, shape [N, D]: −½(1 + log σ² − μ² − σ²). */
export function klPerDim(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(-0.5, tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar)))) as tf.Tensor2D)
}

/**
 * The calibrated decoder's noise floor: σ² never below e⁻¹² (log σ ≥ −6, as σ-VAE's soft clip),
 * so a batch the decoder happens to reproduce exactly cannot send the loss to −∞.
 */
export const minGaussianVariance = Math.exp(-12)

/**
 * The calibrated decoder's σ² before a run has measured any: the squared error of a decoder
 * that answers mid-grey for faces, roughly. One step replaces it.
 */
export const initialGaussianVariance = 0.1

/**
 * Reconstruction loss per image, shape [N]: summed over pixels and channels.
 *
 * 'gaussian' is σ-VAE's calibrated decoder (Rybkin et al. 2021): the negative log-likelihood of x
 * under N(x̂, σ²) per pixel, D/2·log 2πσ² + ‖x − x̂‖²/(2σ²), with one σ² shared by the batch at
 * its optimum, the mean squared error. The caller gives that σ² (`noiseVariance`, a constant to
 * the gradient): the training loop passes the previous step's whole-batch error, so every shard
 * of a step, on any number of threads, weighs its pixels alike. The reconstruction then weighs
 * 1/(2σ²) against the KL instead of a fixed 1 (MSE) or BCE's, so detail keeps its weight as the
 * error falls. It is a log-likelihood in nats: as the model improves it goes negative.
 */
export function reconPerImage(logits: tf.Tensor4D, x: tf.Tensor4D, kind: ReconKind, noiseVariance: number): tf.Tensor1D {
  return tf.tidy(() => {
    if (kind === 'bce')
      return tf.sum(tf.losses.sigmoidCrossEntropy(x, logits, undefined, undefined, tf.Reduction.NONE), [1, 2, 3]) as tf.Tensor1D
    const squared = tf.sum(tf.squaredDifference(tf.sigmoid(logits), x), [1, 2, 3]) as tf.Tensor1D
    if (kind === 'mse') return squared
    const pixels = x.shape[1] * x.shape[2] * x.shape[3]
    const variance = Math.max(noiseVariance, minGaussianVariance)
    return tf.add(tf.div(squared, 2 * variance), (pixels / 2) * Math.log(2 * Math.PI * variance)) as tf.Tensor1D
  })
}

/** z = μ + σ ⊙ ε, with ε given so that callers control the randomness (seeds, resume). */
export function reparameterize(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tf.Tensor2D)
}

export interface VaeLossTerms {
  /** Batch means, scalars: loss = recon + β · kl. */
  loss: tf.Scalar
  recon: tf.Scalar
  kl: tf.Scalar
  /** The batch's mean squared error per pixel, whatever the loss: the calibrated Gaussian's next σ². */
  squaredError: tf.Scalar
}

export function vaeLoss(args: {
  x: tf.Tensor4D
  logits: tf.Tensor4D
  mu: tf.Tensor2D
  logVar: tf.Tensor2D
  beta: number
  kind: ReconKind
  /** The calibrated Gaussian's σ² (see `reconPerImage`); other losses ignore it. */
  noiseVariance: number
}): VaeLossTerms {
  return tf.tidy(() => {
    const recon = tf.mean(reconPerImage(args.logits, args.x, args.kind, args.noiseVariance)) as tf.Scalar
    const kl = tf.mean(tf.sum(klPerDim(args.mu, args.logVar), 1)) as tf.Scalar
    const loss = tf.add(recon, tf.mul(args.beta, kl)) as tf.Scalar
    const squaredError = tf.mean(tf.squaredDifference(tf.sigmoid(args.logits), args.x)) as tf.Scalar
    return { loss, recon, kl, squaredError }
  })
}
