/**
 * The training image closest to a generated one: the memorisation check ("is this sample new, or
 * a copy of a face it was trained on?"). A straight scan of the uint8 cache, with no float copy of
 * the dataset, that abandons a candidate as soon as its partial sum can no longer win.
 */
import type { RawImage } from '../../../shared/images'

export interface PixelDataset {
  /** count×size×size×channels bytes, row-major, channels interleaved (the project's cache layout). */
  images: Uint8Array
  size: number
  channels: 1 | 3
  count: number
}

export interface NearestImage {
  index: number
  /** Root-mean-square difference per channel value, in [0, 1] pixel units (0 = identical). */
  distance: number
}

const chunk = 512

export function nearestImage(target: RawImage, dataset: PixelDataset): NearestImage {
  const { size, channels, count, images } = dataset
  if (target.width !== size || target.height !== size || target.channels !== channels) {
    throw new Error(
      `the image is ${target.width}×${target.height}×${target.channels} but the dataset holds ${size}×${size}×${channels} images`
    )
  }
  if (count === 0) throw new Error('the dataset is empty')
  const len = size * size * channels
  if (images.length < count * len) throw new Error(`the dataset buffer holds ${images.length} bytes, fewer than ${count} images need`)
  const t = target.pixels
  let best = Infinity
  let bestIndex = 0
  for (let n = 0; n < count; n++) {
    const row = images.subarray(n * len, (n + 1) * len)
    let sum = 0
    // The win check runs once per chunk, keeping the inner loop branch-free.
    for (let start = 0; start < len && sum < best; start += chunk) {
      const end = Math.min(len, start + chunk)
      for (let i = start; i < end; i++) {
        const d = row[i] - t[i]
        sum += d * d
      }
    }
    if (sum < best) {
      best = sum
      bestIndex = n
    }
  }
  return { index: bestIndex, distance: Math.sqrt(best / len) / 255 }
}
