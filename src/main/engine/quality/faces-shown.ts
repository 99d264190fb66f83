/**
 * Does a dataset show faces? The face-sample metric only means something on faces, so before it
 * prints a number the studio asks the face detector (src/main/engine/faces) about a seeded sample
 * of the dataset's images. Dataset images are small crops (32–128 px) that the face fills, while
 * the detector expects a face with some context around it: each image is padded with its mean
 * grey so that it fills `faceSide / canvasSide` of a square, which is how a face in a photo looks
 * to the detector (which resizes its input itself).
 *
 * SSD MobileNet at score ≥ 0.5, not the tiny detector: on 24 seeded images per set the tiny one
 * scored 0.5–0.77 on 9 of 24 striped test patterns (as high as on real faces), SSD found nothing
 * there and ≥ 0.5 on 22/24 Olivetti and 24/24 ORL faces. Its limit: faces that were tiny in their
 * source files (Frey's 20×28 px) are not recognised (0/24), so such sets are not measured; a
 * 32-px dataset is shown to it decoded again from its source files at 64 px where they are still
 * there (session/quality-reference.ts).
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

/**
 * The image as the detector should see it: centred on a mean-grey square `canvasSide / faceSide`
 * times its size, RGB. The detector resizes its input itself, so the face fills the same share of
 * what it sees as it would upscaled to `faceSide` on a `canvasSide` canvas.
 */
export function detectorInput(image: RawImage): { pixels: Uint8Array; width: number; height: number; channels: 3 } {
  const { width, height, channels, pixels } = image
  let sum = 0
  for (let i = 0; i < pixels.length; i++) sum += pixels[i]
  const side = Math.round((Math.max(width, height) * canvasSide) / faceSide)
  const out = new Uint8Array(side * side * 3).fill(Math.round(sum / Math.max(1, pixels.length)))
  const left = Math.floor((side - width) / 2)
  const top = Math.floor((side - height) / 2)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) out[((top + y) * side + left + x) * 3 + c] = pixels[(y * width + x) * channels + (channels === 1 ? 0 : c)]
    }
  }
  return { pixels: out, width: side, height: side, channels: 3 }
}

/**
 * Runs the detector on each image (one worker, started here unless `finder` is given) and counts
 * those with at least one face. `signal` cancels between images.
 */
export async function facesShown(
  images: readonly RawImage[],
  options: { finder?: FaceFinder; signal?: AbortSignal } = {}
): Promise<FacesShown> {
  const finder = options.finder ?? createFaceFinder({ workers: 1 })
  try {
    let withFace = 0
    for (const image of images) {
      const found = await finder.findFaces(
        detectorInput(image),
        { detector: 'ssd', inputSize: 416, minScore: faceScore, landmarkNet: 'tiny', size: 32 },
        options.signal
      )
      if (found.faces.length > 0) withFace++
    }
    return { checked: images.length, withFace, applies: images.length > 0 && withFace >= Math.ceil(images.length * facesShareNeeded) }
  } finally {
    if (!options.finder) await finder.close()
  }
}
