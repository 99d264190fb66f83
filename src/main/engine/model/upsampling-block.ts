/**
 * One stride-2 decoder block per decoder kind: the layers that double the resolution and map to
 * `filters` channels (the caller adds the LeakyReLU after hidden blocks). The last block's final
 * layer is named `logits`; the others keep the names the first decoder's checkpoints use.
 */
import * as tf from '../tf'
import type { DecoderKind } from '../../../shared/config'
import { leakySlope } from './encoder'
import { PixelShuffle } from './pixel-shuffle'
import { UpsampleConv2D } from './upsample-conv'

type Layer = tf.layers.layers.Layer

/**
 * 3×3 kernels where the reference network uses 4×4: 44 % fewer multiply-adds per block, but a
 * kernel the stride does not divide (see upsample-conv.ts for what that does to samples).
 */
export const transposedKernelSize = 3

/** Sub-pixel convolutions' kernels are named so VaeModel can give them ICNR initial values. */
export const subpixelPrefix = 'decoder_subpixel'

/**
 * @param n 1-based block number; `hidden` false for the block that outputs the image.
 */
export function upsamplingBlock(kind: DecoderKind, filters: number, n: number, hidden: boolean): Layer[] {
  const L = tf.layers.layers
  const name = (base: string): string => (hidden ? `${base}_${n}` : 'logits')
  switch (kind) {
    case 'transposed-3x3':
    case 'transposed-4x4':
      return [
        L.conv2dTranspose({
          filters,
          kernelSize: kind === 'transposed-3x3' ? transposedKernelSize : 4,
          strides: 2,
          padding: 'same',
          name: name('decoder_deconv')
        })
      ]
    case 'upsample-conv':
      return [new UpsampleConv2D({ filters, name: name('decoder_upconv') })]
    case 'bilinear-upsample-conv':
      return [new UpsampleConv2D({ filters, interpolation: 'bilinear', name: name('decoder_biconv') })]
    case 'upsample-conv-extra':
      // A second 3×3 convolution at each hidden resolution: more capacity where detail is made.
      return hidden
        ? [
            new UpsampleConv2D({ filters, name: `decoder_upconv_${n}` }),
            L.leakyReLU({ alpha: leakySlope, name: `decoder_extra_leaky_${n}` }),
            L.conv2d({ filters, kernelSize: 3, padding: 'same', name: `decoder_extra_conv_${n}` })
          ]
        : [new UpsampleConv2D({ filters, name: 'logits' })]
    case 'subpixel':
      return [
        L.conv2d({ filters: 4 * filters, kernelSize: 3, padding: 'same', name: `${subpixelPrefix}_${n}` }),
        new PixelShuffle({ name: hidden ? `decoder_shuffle_${n}` : 'logits' })
      ]
    case 'bilinear-conv':
      return [
        L.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: `decoder_bilinear_${n}` }),
        L.conv2d({ filters, kernelSize: 3, padding: 'same', name: name('decoder_conv') })
      ]
  }
}
