/**
 * Test and benchmark photos: grey face crops pasted into bigger scenes at a known place, scale
 * and angle, so the truth (where each eye ends up) is known exactly. Plain loops over typed
 * arrays; no library, so the fixture cannot share a bug with the code it checks.
 */
import type { Point } from '../face-types'

export interface Picture {
  width: number
  height: number
  /** RGB, row-major, interleaved. */
  pixels: Uint8Array
}

export interface GreyFace {
  width: number
  height: number
  pixels: Uint8Array
}

export interface Placement {
  /** Where the face crop's centre goes in the scene. */
  centre: Point
  /** Scene pixels per face pixel. */
  scale: number
  /** Counter-clockwise on screen, in degrees. */
  angleDeg: number
  /** Multiplies the grey face per channel (a skin tone); [1, 1, 1] keeps it grey. */
  tint?: [number, number, number]
}

/** Face-crop point → scene point under a placement. */
export function placePoint(face: { width: number; height: number }, placement: Placement, [x, y]: Point): Point {
  const { centre, scale, angleDeg } = placement
  const angle = (-angleDeg * Math.PI) / 180 // y points down: CCW on screen is a negative angle
  const dx = (x - face.width / 2) * scale
  const dy = (y - face.height / 2) * scale
  return [centre[0] + Math.cos(angle) * dx - Math.sin(angle) * dy, centre[1] + Math.sin(angle) * dx + Math.cos(angle) * dy]
}

/**
 * Pastes the face with a soft-edged, rounded-rectangle mask (a hard rectangle would give the
 * detector an easy edge and look like no photo). Returns the pasted region's bounds.
 */
export function pasteFace(scene: Picture, face: GreyFace, placement: Placement): { x0: number; y0: number; x1: number; y1: number } {
  // Downscaling by sampling alone would alias: average blocks of the face first.
  const factor = placement.scale < 1 ? Math.max(1, Math.floor(1 / placement.scale)) : 1
  const source = factor > 1 ? shrinkGrey(face, factor) : face
  const angle = (-placement.angleDeg * Math.PI) / 180
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  const corners = [
    [0, 0],
    [face.width, 0],
    [0, face.height],
    [face.width, face.height]
  ].map((p) => placePoint(face, placement, p as Point))
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0]))))
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1]))))
  const x1 = Math.min(scene.width, Math.ceil(Math.max(...corners.map((p) => p[0]))))
  const y1 = Math.min(scene.height, Math.ceil(Math.max(...corners.map((p) => p[1]))))
  const tint = placement.tint ?? [1, 1, 1]
  const [cx, cy] = placement.centre
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      // Scene pixel centre → face coordinates (inverse rotation and scale).
      const dx = x + 0.5 - cx
      const dy = y + 0.5 - cy
      const u = (cos * dx + sin * dy) / placement.scale + face.width / 2
      const v = (-sin * dx + cos * dy) / placement.scale + face.height / 2
      const alpha = maskAt(u / face.width, v / face.height)
      if (alpha <= 0) continue
      const grey = sampleGrey(source, u / factor, v / factor)
      const at = (y * scene.width + x) * 3
      for (let c = 0; c < 3; c++) {
        const value = Math.min(255, grey * tint[c])
        scene.pixels[at + c] = Math.round(scene.pixels[at + c] * (1 - alpha) + value * alpha)
      }
    }
  }
  return { x0, y0, x1, y1 }
}

/** 1 inside, fading to 0 over the outer 8 % of a superellipse (|x|⁴ + |y|⁴ ≤ 1). */
function maskAt(u: number, v: number): number {
  const x = Math.abs(u * 2 - 1)
  const y = Math.abs(v * 2 - 1)
  const r = Math.pow(x ** 4 + y ** 4, 0.25)
  return Math.max(0, Math.min(1, (1 - r) / 0.08))
}

/** Bilinear sample at continuous coordinates (pixel centres at i + 0.5), clamped at the edges. */
function sampleGrey(face: GreyFace, u: number, v: number): number {
  const x = Math.min(face.width - 1, Math.max(0, u - 0.5))
  const y = Math.min(face.height - 1, Math.max(0, v - 0.5))
  const x0 = Math.floor(x)
  const y0 = Math.floor(y)
  const x1 = Math.min(face.width - 1, x0 + 1)
  const y1 = Math.min(face.height - 1, y0 + 1)
  const fx = x - x0
  const fy = y - y0
  const p = face.pixels
  const w = face.width
  const top = p[y0 * w + x0] * (1 - fx) + p[y0 * w + x1] * fx
  const bottom = p[y1 * w + x0] * (1 - fx) + p[y1 * w + x1] * fx
  return top * (1 - fy) + bottom * fy
}

/** Block average by an integer factor (the last partial blocks are averaged over what they hold). */
export function shrinkGrey(face: GreyFace, factor: number): GreyFace {
  const width = Math.ceil(face.width / factor)
  const height = Math.ceil(face.height / factor)
  const pixels = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0
      let n = 0
      for (let yy = y * factor; yy < Math.min(face.height, (y + 1) * factor); yy++) {
        for (let xx = x * factor; xx < Math.min(face.width, (x + 1) * factor); xx++) {
          sum += face.pixels[yy * face.width + xx]
          n++
        }
      }
      pixels[y * width + x] = Math.round(sum / n)
    }
  }
  return { width, height, pixels }
}
