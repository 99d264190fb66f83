/**
 * Cuts a region out of a decoded photo, block-averaged by an integer factor, straight from the
 * JS pixel buffer into a float tensor. The photo itself never becomes a tensor: tfjs-wasm's
 * `slice` copies the whole source tensor out of wasm memory on every call (~3 MB for a
 * 1000×750 photo, three times per face), which cost more than the landmark net.
 */
import type { TfModule } from './face-nets'
import type * as Tf from '@tensorflow/tfjs'

/** Upright RGB pixels, row-major, interleaved. */
export interface RgbImage {
  pixels: Uint8Array
  width: number
  height: number
}

export interface Region {
  x0: number
  y0: number
  /** Exclusive. */
  x1: number
  y1: number
}

/**
 * The region [x0, x1) × [y0, y1) (clamped to the photo) averaged over k×k blocks: a float32
 * [⌊h/k⌋, ⌊w/k⌋, 3] tensor, values 0–255. Region pixel (r, c) covers photo
 * [x0 + c·k, x0 + (c+1)·k) × [y0 + r·k, y0 + (r+1)·k).
 */
export function regionTensor(tf: TfModule, image: RgbImage, region: Region, k = 1): Tf.Tensor3D {
  const { pixels, width } = image
  const outWidth = Math.floor((region.x1 - region.x0) / k)
  const outHeight = Math.floor((region.y1 - region.y0) / k)
  if (outWidth <= 0 || outHeight <= 0) throw new RangeError('empty region')
  if (k === 1 && region.x0 === 0 && outWidth === width) {
    // Whole rows: one native uint8 → float32 conversion (an element loop took ~30 ms per 800×600).
    const from = region.y0 * width * 3
    return tf.tensor3d(new Float32Array(pixels.subarray(from, from + outHeight * width * 3)), [outHeight, outWidth, 3], 'float32')
  }
  const out = new Float32Array(outWidth * outHeight * 3)
  if (k === 1) {
    for (let y = 0; y < outHeight; y++) {
      const from = ((region.y0 + y) * width + region.x0) * 3
      out.set(pixels.subarray(from, from + outWidth * 3), y * outWidth * 3)
    }
  } else {
    const norm = 1 / (k * k)
    // Sum each source row into the output row's accumulator, then scale.
    for (let y = 0; y < outHeight; y++) {
      const row = y * outWidth * 3
      for (let dy = 0; dy < k; dy++) {
        let from = ((region.y0 + y * k + dy) * width + region.x0) * 3
        for (let x = 0; x < outWidth; x++) {
          let r = 0
          let g = 0
          let b = 0
          for (let dx = 0; dx < k; dx++) {
            r += pixels[from++]
            g += pixels[from++]
            b += pixels[from++]
          }
          const at = row + x * 3
          out[at] += r
          out[at + 1] += g
          out[at + 2] += b
        }
      }
      for (let i = row; i < row + outWidth * 3; i++) out[i] *= norm
    }
  }
  return tf.tensor3d(out, [outHeight, outWidth, 3], 'float32')
}

/** The region clamped to the photo (possibly empty). */
export function clampRegion(image: RgbImage, region: Region): Region {
  const x0 = Math.max(0, Math.min(image.width, region.x0))
  const y0 = Math.max(0, Math.min(image.height, region.y0))
  return { x0, y0, x1: Math.max(x0, Math.min(image.width, region.x1)), y1: Math.max(y0, Math.min(image.height, region.y1)) }
}
