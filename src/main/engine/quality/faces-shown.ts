/**
 * Does a dataset show faces? The face-sample metric only means something on faces, so before it
 * prints a number the studio asks the face detector (src/main/engine/faces) about a seeded sample
 * of the dataset's images. Dataset images are small crops (32–128 px) that the face fills, while
 * the tiny detector is made for faces of ≥ ~40 px with some context around them: each image is
 * upscaled (bilinear) to `faceSide` px and padded to `canvasSide` px with its mean grey, which is
 * how a face in a photo looks to the detector.
 *
 * SSD MobileNet at score ≥ 0.5, not the tiny detector: on 24 seeded images per set the tiny one
 * scored 0.5–0.77 on 9 of 24 striped test patterns (as high as on real faces), SSD found nothing
 * there and ≥ 0.5 on 22/24 Olivetti and 18/24 ORL faces. Its limit: faces that were tiny in their
 * source files (Frey's 20×28 px) are not recognised (0/24), so such sets are not measured.
 */
import type { RawImage } from '../../../shared/images'
import { createFaceFinder, type FaceFinder } from '../faces'
import { Rng } from '../random/rng'

/** Images the detector looks at, the share of them that must show a face, and the detector score that counts as one. */
export const facesSampleSize = 24
export const facesShareNeeded = 0.5
const faceScore = 0.5

const faceSide = 192
const canvasSide = 320

export interface FacesShown {
  checked: number
  withFace: number
  applies: boolean
}

/** `count` distinct rows of `total`, the same for the same seed. */
export function sampleRows(total: number, count: number, seed: number): number[] {
  const order = new Rng(seed).shuffle(Array.from({ length: total }, (_, i) => i))
  return order.slice(0, Math.min(count, total)).sort((a, b) => a - b)
}

/** The image as the detector should see it: upscaled to `faceSide`, centred on a mean-grey `canvasSide` square, RGB. */
export function detectorInput(image: RawImage): { pixels: Uint8Array; width: number; height: number; channels: 3 } {
  const { width, height, channels, pixels } = image
  let sum = 0
  for (let i = 0; i < pixels.length; i++) sum += pixels[i]
  const fill = Math.round(sum / Math.max(1, pixels.length))
  const out = new Uint8Array(canvasSide * canvasSide * 3).fill(fill)
  const scale = faceSide / Math.max(width, height)
  const w = Math.round(width * scale)
  const h = Math.round(height * scale)
  const left = Math.floor((canvasSide - w) / 2)
  const top = Math.floor((canvasSide - h) / 2)
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.max(0, (y + 0.5) / scale - 0.5))
    const y0 = Math.floor(sy)
    const y1 = Math.min(height - 1, y0 + 1)
    const fy = sy - y0
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.max(0, (x + 0.5) / scale - 0.5))
      const x0 = Math.floor(sx)
      const x1 = Math.min(width - 1, x0 + 1)
      const fx = sx - x0
      const at = ((top + y) * canvasSide + left + x) * 3
      for (let c = 0; c < 3; c++) {
        const cc = channels === 1 ? 0 : c
        const p = (yy: number, xx: number): number => pixels[(yy * width + xx) * channels + cc]
        const top_ = p(y0, x0) * (1 - fx) + p(y0, x1) * fx
        const bottom = p(y1, x0) * (1 - fx) + p(y1, x1) * fx
        out[at + c] = Math.round(top_ * (1 - fy) + bottom * fy)
      }
    }
  }
  return { pixels: out, width: canvasSide, height: canvasSide, channels: 3 }
}

/**
 * Runs the detector on each image (one worker, started here unless `finder` is given) and counts
 * those with at least one face. `signal` cancels between images.
 */
export async function facesShown(images: readonly RawImage[], options: { finder?: FaceFinder; signal?: AbortSignal } = {}): Promise<FacesShown> {
  const finder = options.finder ?? createFaceFinder({ workers: 1 })
  try {
    let withFace = 0
    for (const image of images) {
      const found = await finder.findFaces(detectorInput(image), { detector: 'ssd', inputSize: 416, minScore: faceScore, landmarkNet: 'tiny', size: 32 }, options.signal)
      if (found.faces.length > 0) withFace++
    }
    return { checked: images.length, withFace, applies: images.length > 0 && withFace >= Math.ceil(images.length * facesShareNeeded) }
  } finally {
    if (!options.finder) await finder.close()
  }
}
