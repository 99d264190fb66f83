/**
 * One stride-2 decoder block per decoder kind: the layer that doubles the resolution and maps to
 * `filters` channels (the caller adds the LeakyReLU after hidden blocks). The last block's layer
 * is named `logits`; the others keep the names the first decoder's checkpoints use.
 */
import * as tf from '../tf'
import type { DecoderKind } from '../../../shared/config'
import { UpsampleConv2D } from './upsample-conv'

/**
 * 3×3 kernels where the reference network uses 4×4: 44 % fewer multiply-adds per block, but a
 * kernel the stride does not divide (see upsample-conv.ts for what that does to samples).
 */
export const transposedKernelSize = 3

/** @param n 1-based block number; `hidden` false for the block that outputs the image. */
export function upsamplingBlock(kind: DecoderKind, filters: number, n: number, hidden: boolean): tf.layers.layers.Layer {
  switch (kind) {
    case 'transposed-3x3':
      return tf.layers.layers.conv2dTranspose({
        filters,
        kernelSize: transposedKernelSize,
        strides: 2,
        padding: 'same',
        name: hidden ? `decoder_deconv_${n}` : 'logits'
      })
    case 'upsample-conv':
      return new UpsampleConv2D({ filters, name: hidden ? `decoder_upconv_${n}` : 'logits' })
  }
}
