/**
 * Lays equally sized images out in one image, row by row, so a grid (a timeline frame of many
 * samples) can become one frame of an animation.
 */
import type { RawImage } from '../../../shared/images'

export function tileImages(images: readonly RawImage[], columns: number, gap = 2, background = 0): RawImage {
  if (images.length === 0) throw new Error('nothing to tile')
  const { width, height, channels } = images[0]
  if (images.some((img) => img.width !== width || img.height !== height || img.channels !== channels)) {
    throw new Error('tiled images must all have the same size and channels')
  }
  const cols = Math.max(1, Math.min(columns, images.length))
  const rows = Math.ceil(images.length / cols)
  const outWidth = cols * width + (cols - 1) * gap
  const outHeight = rows * height + (rows - 1) * gap
  const pixels = new Uint8Array(outWidth * outHeight * channels).fill(background)
  const rowBytes = width * channels
  images.forEach((img, k) => {
    const x0 = (k % cols) * (width + gap)
    const y0 = Math.floor(k / cols) * (height + gap)
    for (let y = 0; y < height; y++) {
      pixels.set(img.pixels.subarray(y * rowBytes, (y + 1) * rowBytes), ((y0 + y) * outWidth + x0) * channels)
    }
  })
  return { width: outWidth, height: outHeight, channels, pixels }
}
