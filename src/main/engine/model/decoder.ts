/**
 * The decoder: dense to a 4×4 feature map, then stride-2 upsampling blocks up to the image size.
 * It ends in logits (no sigmoid): the BCE loss is computed from logits for numerical stability,
 * and callers apply the sigmoid when they want pixels. How a block doubles the resolution is the
 * config's `decoder` (see shared/config.ts and upsampling-block.ts).
 */
import * as tf from '../tf'
import { decoderKind, type ModelConfig } from '../../../shared/config'
import { blockCount, blockFilters, bottleneckSize, leakySlope } from './block-layout'
import { upsamplingBlock } from './upsampling-block'

type Symbolic = tf.layers.SymbolicTensor

/** Input [N, latentDim] → output logits [N, S, S, C]. */
export function decoder(cfg: ModelConfig): tf.layers.LayersModel {
  const L = tf.layers.layers
  const kind = decoderKind(cfg)
  const blocks = blockCount(cfg.imageSize)
  const topFilters = blockFilters(cfg.baseFilters, blocks - 1)
  const z = tf.layers.input({ shape: [cfg.latentDim], name: 'z' })
  let h = L.dense({ units: bottleneckSize * bottleneckSize * topFilters, name: 'decoder_dense' }).apply(z) as Symbolic
  h = L.reshape({ targetShape: [bottleneckSize, bottleneckSize, topFilters], name: 'decoder_reshape' }).apply(h) as Symbolic
  // Mirror of the encoder: block i undoes encoder block i + 1, the last one outputs the image.
  for (let i = blocks - 2; i >= 0; i--) {
    const n = blocks - 1 - i
    h = upsamplingBlock(kind, blockFilters(cfg.baseFilters, i), n, true).apply(h) as Symbolic
    h = L.leakyReLU({ alpha: leakySlope, name: `decoder_leaky_${n}` }).apply(h) as Symbolic
  }
  h = upsamplingBlock(kind, cfg.channels, blocks, false).apply(h) as Symbolic
  return tf.layers.model({ inputs: z, outputs: h, name: 'decoder' })
}
