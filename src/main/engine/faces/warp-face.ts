/**
 * Samples a photo through an affine map into a small square, with tfjs's `image.transform`
 * (bilinear) in the face worker — no sharp, so alignment works wherever face-api does. Only the
 * region the crop needs is cut out, and when the crop shrinks the photo by 2× or more that
 * region is first block-averaged by the integer factor (an area filter), so a face from a big
 * photo does not alias into its 64-px crop; the bilinear step then shrinks by less than 2×.
 */
import { invertAffine, sourcePixelsPerOutputPixel } from './alignment'
import type { AlignOptions } from './face-options'
import type { Affine } from './face-types'
import type { TfModule } from './face-nets'
import { clampRegion, regionTensor, type RgbImage } from './rgb-region'
import type * as Tf from '@tensorflow/tfjs'

export type Padding = AlignOptions['padding']

const fillModes: Record<Padding, 'nearest' | 'constant' | 'reflect'> = { edge: 'nearest', black: 'constant', reflect: 'reflect' }

/**
 * `photoToOut` maps continuous photo coordinates (pixel i spans [i, i+1)) of `image` to those of
 * the output (size × size, or outWidth × size). Returns a float32 [size, outWidth, 3] tensor
 * (values 0–255); the caller owns it.
 */
export function warpRegion(
  tf: TfModule,
  image: RgbImage,
  photoToOut: Affine,
  size: number,
  padding: Padding,
  outWidth = size
): Tf.Tensor3D {
  const inverse = invertAffine(photoToOut)
  const corners = [
    [0, 0],
    [outWidth, 0],
    [0, size],
    [outWidth, size]
  ].map(([u, v]) => [inverse[0] * u + inverse[1] * v + inverse[2], inverse[3] * u + inverse[4] * v + inverse[5]])
  const factor = Math.max(1, Math.floor(sourcePixelsPerOutputPixel(photoToOut)))
  const margin = 2 * factor + 2
  const { x0, y0, x1, y1 } = clampRegion(image, {
    x0: Math.floor(Math.min(...corners.map((c) => c[0]))) - margin,
    y0: Math.floor(Math.min(...corners.map((c) => c[1]))) - margin,
    x1: Math.ceil(Math.max(...corners.map((c) => c[0]))) + margin,
    y1: Math.ceil(Math.max(...corners.map((c) => c[1]))) + margin
  })
  // A region smaller than one block (a face almost wholly outside the photo) is sampled unshrunk.
  const k = x1 - x0 >= factor && y1 - y0 >= factor ? factor : 1
  if (x1 <= x0 || y1 <= y0) return tf.zeros([size, outWidth, 3]) as Tf.Tensor3D
  const region = regionTensor(tf, image, { x0, y0, x1, y1 }, k)
  try {
    return tf.tidy(() => {
      // Output pixel (row i, column j) has its centre at (j + ½, i + ½); region pixel (r, c)
      // covers photo [x0 + c·k, x0 + (c+1)·k), so its centre sits at index c.
      const [a, b, c, d, e, f] = inverse
      const row = [a / k, b / k, ((a + b) / 2 + c - x0) / k - 0.5, d / k, e / k, ((d + e) / 2 + f - y0) / k - 0.5, 0, 0]
      const warped = tf.image.transform(region.expandDims(0) as Tf.Tensor4D, tf.tensor2d([row]), 'bilinear', fillModes[padding], 0, [
        size,
        outWidth
      ])
      return warped.squeeze([0]) as Tf.Tensor3D
    })
  } finally {
    region.dispose()
  }
}

/** float [h, w, 3] (0–255) → uint8 pixels with 1 (Rec. 601 luma) or 3 channels. */
export function toPixels(tf: TfModule, rgb: Tf.Tensor3D, channels: 1 | 3): Uint8Array {
  const values = tf.tidy(() => {
    const image = channels === 1 ? tf.sum(tf.mul(rgb, tf.tensor1d([0.299, 0.587, 0.114])), -1) : rgb
    return tf.clipByValue(tf.round(image), 0, 255).dataSync()
  })
  return Uint8Array.from(values)
}
