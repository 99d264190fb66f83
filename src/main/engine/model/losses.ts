/**
 * The β-VAE objective, per image: reconstruction summed over pixels plus β · KL(N(μ,σ²) ‖ N(0,1)),
 * averaged over the batch. The decoder emits logits so BCE can use the stable
 * sigmoid-cross-entropy-with-logits form; MSE compares sigmoid(logits) with the image.
 */
import * as tf from '../tf'
import type { ModelConfig } from '../../../shared/config'

export type ReconKind = ModelConfig['recon']

/** KL(N(μ, σ²) ‖ N(0, 1)) per latent dimension, shape [N, D]: −½(1 + log σ² − μ² − σ²). */
export function klPerDim(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(-0.5, tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar)))) as tf.Tensor2D)
}

/** Reconstruction loss per image, shape [N]: summed over pixels and channels. */
export function reconPerImage(logits: tf.Tensor4D, x: tf.Tensor4D, kind: ReconKind): tf.Tensor1D {
  return tf.tidy(() => {
    const perPixel =
      kind === 'bce'
        ? tf.losses.sigmoidCrossEntropy(x, logits, undefined, undefined, tf.Reduction.NONE)
        : tf.squaredDifference(tf.sigmoid(logits), x)
    return tf.sum(perPixel, [1, 2, 3]) as tf.Tensor1D
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
}

export function vaeLoss(args: {
  x: tf.Tensor4D
  logits: tf.Tensor4D
  mu: tf.Tensor2D
  logVar: tf.Tensor2D
  beta: number
  kind: ReconKind
}): VaeLossTerms {
  return tf.tidy(() => {
    const recon = tf.mean(reconPerImage(args.logits, args.x, args.kind)) as tf.Scalar
    const kl = tf.mean(tf.sum(klPerDim(args.mu, args.logVar), 1)) as tf.Scalar
    const loss = tf.add(recon, tf.mul(args.beta, kl)) as tf.Scalar
    return { loss, recon, kl }
  })
}
