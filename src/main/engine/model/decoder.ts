/**
 * The decoder: dense to a 4×4 feature map, then stride-2 transposed-convolution blocks up to the
 * image size. It ends in logits (no sigmoid): the BCE loss is computed from logits for numerical
 * stability, and callers apply the sigmoid when they want pixels.
 */
import * as tf from '../tf'
import type { ModelConfig } from '../../../shared/config'
import { blockCount, blockFilters, bottleneckSize, leakySlope } from './encoder'

type Symbolic = tf.layers.SymbolicTensor

/**
 * 3×3 kernels where the reference network uses 4×4: 44 % fewer multiply-adds per block. A
 * kernel the stride does not divide can leave checkerboard patterns; trained side by side on
 * Olivetti faces (240 steps, batch 32), the 3×3 and 4×4 decoders reached the same held-out error
 * and neither put more energy at the pixel-grid frequencies than the photos have (see
 * backend/README.md).
 */
export const decoderKernelSize = 3

/** Input [N, latentDim] → output logits [N, S, S, C]. */
export function decoder(cfg: ModelConfig): tf.layers.LayersModel {
  const L = tf.layers.layers
  const blocks = blockCount(cfg.imageSize)
  const topFilters = blockFilters(cfg, blocks - 1)
  const z = tf.layers.input({ shape: [cfg.latentDim], name: 'z' })
  let h = L.dense({ units: bottleneckSize * bottleneckSize * topFilters, name: 'decoder_dense' }).apply(z) as Symbolic
  h = L.reshape({ targetShape: [bottleneckSize, bottleneckSize, topFilters], name: 'decoder_reshape' }).apply(h) as Symbolic
  // Mirror of the encoder: block i undoes encoder block i + 1, the last one outputs the image.
  for (let i = blocks - 2; i >= 0; i--) {
    h = L.conv2dTranspose({
      filters: blockFilters(cfg, i),
      kernelSize: decoderKernelSize,
      strides: 2,
      padding: 'same',
      name: `decoder_deconv_${blocks - 1 - i}`
    }).apply(h) as Symbolic
    h = L.leakyReLU({ alpha: leakySlope, name: `decoder_leaky_${blocks - 1 - i}` }).apply(h) as Symbolic
  }
  const logits = L.conv2dTranspose({
    filters: cfg.channels,
    kernelSize: decoderKernelSize,
    strides: 2,
    padding: 'same',
    name: 'logits'
  }).apply(h) as Symbolic
  return tf.layers.model({ inputs: z, outputs: logits, name: 'decoder' })
}
