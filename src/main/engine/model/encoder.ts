/**
 * The encoder: stride-2 convolution blocks down to 4×4, then two dense heads for μ and log σ².
 * A pure builder in the manner of tfjs-examples' fashion-mnist-vae.
 */
import * as tf from '../tf'
import { encoderWidth, type ModelConfig } from '../../../shared/config'
import { blockCount, blockFilters, leakySlope } from './block-layout'

type Symbolic = tf.layers.SymbolicTensor

/**
 * 3×3 kernels where the reference network uses 4×4: 44 % fewer multiply-adds in every block
 * (forward and both gradients) for the same held-out reconstruction error (see backend/README.md).
 */
export const encoderKernelSize = 3

/** Input [N, S, S, C] floats in [0, 1] → outputs [μ, log σ²], each [N, latentDim]. */
export function encoder(cfg: ModelConfig): tf.layers.LayersModel {
  const L = tf.layers.layers
  const image = tf.layers.input({ shape: [cfg.imageSize, cfg.imageSize, cfg.channels], name: 'image' })
  let h: Symbolic = image
  for (let i = 0; i < blockCount(cfg.imageSize); i++) {
    h = L.conv2d({
      filters: blockFilters(encoderWidth(cfg), i),
      kernelSize: encoderKernelSize,
      strides: 2,
      padding: 'same',
      name: `encoder_conv_${i + 1}`
    }).apply(h) as Symbolic
    h = L.leakyReLU({ alpha: leakySlope, name: `encoder_leaky_${i + 1}` }).apply(h) as Symbolic
  }
  h = L.flatten({ name: 'encoder_flatten' }).apply(h) as Symbolic
  const mu = L.dense({ units: cfg.latentDim, name: 'mu' }).apply(h) as Symbolic
  const logVar = L.dense({ units: cfg.latentDim, name: 'log_var' }).apply(h) as Symbolic
  return tf.layers.model({ inputs: image, outputs: [mu, logVar], name: 'encoder' })
}
