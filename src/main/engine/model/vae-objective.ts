/**
 * The training objective of a model, built from its config: encode, reparameterise, decode, and
 * the β-VAE loss with the config's reconstruction kind, plus the perceptual term when the config
 * asks for one. Both places that take gradients (train/train-step.ts on the engine thread and
 * train/parallel/train-worker.ts on worker threads) call this one function, so an objective
 * option reaches every training path through the config alone.
 */
import * as tf from '../tf'
import { reparameterize, vaeLoss, type VaeLossTerms } from './losses'
import { perceptualPerImage } from './perceptual-loss'
import type { VaeModel } from './vae-model'

/** Batch means, scalars: loss = recon + β·kl, where recon includes the perceptual term. */
export function vaeObjective(model: VaeModel, x: tf.Tensor4D, eps: tf.Tensor2D, beta: number): VaeLossTerms {
  return tf.tidy(() => {
    const { mu, logVar } = model.encode(x)
    const logits = model.decodeLogits(reparameterize(mu, logVar, eps))
    const terms = vaeLoss({ x, logits, mu, logVar, beta, kind: model.config.recon })
    const weight = model.config.perceptual ?? 0
    if (weight === 0) return { ...terms }
    const perceptual = tf.mul(weight, tf.mean(perceptualPerImage(x, tf.sigmoid(logits) as tf.Tensor4D))) as tf.Scalar
    return { loss: tf.add(terms.loss, perceptual) as tf.Scalar, recon: tf.add(terms.recon, perceptual) as tf.Scalar, kl: terms.kl }
  })
}
