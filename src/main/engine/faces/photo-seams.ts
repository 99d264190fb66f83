/**
 * Whether a box straddles a seam between two pictures: a straight line across which the photo
 * changes abruptly along most of its length, as where tiled photos meet. Inside a real face
 * there is no such line (its edges are curved, and a glasses frame is a thin ridge, not a step
 * between two different pictures), so a box cut through the middle by one is a detection to
 * look at again (see second-look.ts).
 */
import type { FaceBox } from './face-types'
import type { RgbImage } from './rgb-region'

/** Pixels averaged on each side of a candidate line (seams in reduced photos are smeared over ~2). */
const band = 3
/** Summed over R, G and B: a step at least this big between the two bands' means... */
const minStep = 36
/** ...and this many times the variation inside each band, so texture alone is no step. */
const stepOverTexture = 2
/** A line stepping along this share of the box's extent is a seam. */
const minShare = 0.6
/** Only lines through the middle of the box count (a seam at its edge is the photo's own border). */
const middle = [0.25, 0.75] as const

/** The largest share of the box's height (width) along which one vertical (horizontal) line through its middle steps. */
export function seamShare(image: RgbImage, box: FaceBox): number {
  const x0 = Math.max(band, Math.floor(box.x))
  const x1 = Math.min(image.width - band, Math.ceil(box.x + box.width))
  const y0 = Math.max(band, Math.floor(box.y))
  const y1 = Math.min(image.height - band, Math.ceil(box.y + box.height))
  if (x1 - x0 < 4 * band || y1 - y0 < 4 * band) return 0
  let best = 0
  const fromX = Math.round(box.x + box.width * middle[0])
  const toX = Math.round(box.x + box.width * middle[1])
  for (let x = Math.max(x0, fromX); x <= Math.min(x1, toX); x++) {
    let steps = 0
    for (let y = y0; y < y1; y++) if (stepAt(image, x, y, 1, 0)) steps++
    best = Math.max(best, steps / (y1 - y0))
  }
  const fromY = Math.round(box.y + box.height * middle[0])
  const toY = Math.round(box.y + box.height * middle[1])
  for (let y = Math.max(y0, fromY); y <= Math.min(y1, toY); y++) {
    let steps = 0
    for (let x = x0; x < x1; x++) if (stepAt(image, x, y, 0, 1)) steps++
    best = Math.max(best, steps / (x1 - x0))
  }
  return best
}

export function straddlesSeam(image: RgbImage, box: FaceBox): boolean {
  return seamShare(image, box) >= minShare
}

/**
 * A step between the `band` pixels before (x, y) and those from it on, along (dx, dy) = (1, 0)
 * for a vertical line or (0, 1) for a horizontal one.
 */
function stepAt(image: RgbImage, x: number, y: number, dx: number, dy: number): boolean {
  const { pixels, width } = image
  let step = 0
  let texture = 0
  for (let c = 0; c < 3; c++) {
    let before = 0
    let after = 0
    for (let k = 1; k <= band; k++) before += pixels[((y - k * dy) * width + (x - k * dx)) * 3 + c]
    for (let k = 0; k < band; k++) after += pixels[((y + k * dy) * width + (x + k * dx)) * 3 + c]
    step += Math.abs(before - after) / band
    texture += Math.abs(pixels[((y - dy) * width + (x - dx)) * 3 + c] - pixels[((y - band * dy) * width + (x - band * dx)) * 3 + c])
    texture += Math.abs(pixels[(y * width + x) * 3 + c] - pixels[((y + (band - 1) * dy) * width + (x + (band - 1) * dx)) * 3 + c])
  }
  return step >= minStep && step >= stepOverTexture * (texture / 2)
}
