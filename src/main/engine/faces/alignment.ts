/**
 * Where a face goes in its aligned crop: the similarity transform (rotation, uniform scale,
 * shift) that puts the eye centres level, a fixed distance apart, at a fixed height — the
 * CelebA/FFHQ recipe. Pure math on landmarks; the pixels are sampled elsewhere (warp-face.ts).
 */
import type { Framing } from './face-options'
import type { Affine, Point } from './face-types'

/** Eye distance and eye-line height as fractions of the crop side. */
export interface FramingGeometry {
  eyeDistance: number
  eyeY: number
}

/**
 * tight: forehead to chin, like CelebA's usual 64-px crops (eyes 0.34 of the side apart).
 * face-and-hair: FFHQ's framing (its crop side is four eye distances, eyes just above centre).
 */
export const framings: Record<Framing, FramingGeometry> = {
  tight: { eyeDistance: 0.34, eyeY: 0.42 },
  'face-and-hair': { eyeDistance: 0.25, eyeY: 0.47 }
}

/**
 * FFHQ scales by max(2 × eye distance, 1.8 × eye-to-mouth distance), so a head turned aside
 * (eyes close together in the picture) is not blown up. Frontal faces have eye-to-mouth below
 * 2/1.8 ≈ 1.11 eye distances and are scaled by their eyes alone.
 */
const mouthToEyeRatio = 1.8 / 2

/** Mean of each eye's six points (36–41 on the image's left, 42–47 on its right). */
export function eyeCentres(landmarks: Point[]): { left: Point; right: Point } {
  if (landmarks.length !== 68) throw new RangeError(`expected 68 landmarks, got ${landmarks.length}`)
  return { left: mean(landmarks.slice(36, 42)), right: mean(landmarks.slice(42, 48)) }
}

/** Mid-point of the mouth corners (48 and 54). */
export function mouthCentre(landmarks: Point[]): Point {
  return mean([landmarks[48], landmarks[54]])
}

/**
 * Photo → crop for one face. `mouth` is optional: without it (or for a frontal face) the eyes
 * alone set the scale and land exactly at the framing's positions.
 */
export function alignmentTransform(eyes: { left: Point; right: Point }, size: number, framing: Framing, mouth?: Point): Affine {
  const geometry = framings[framing]
  const [lx, ly] = eyes.left
  const [rx, ry] = eyes.right
  const vx = rx - lx
  const vy = ry - ly
  const eyeDistance = Math.hypot(vx, vy)
  if (!(eyeDistance > 0)) throw new RangeError('the eye centres coincide')
  const mx = (lx + rx) / 2
  const my = (ly + ry) / 2
  const eyeToMouth = mouth ? Math.hypot(mouth[0] - mx, mouth[1] - my) : 0
  const reference = Math.max(eyeDistance, eyeToMouth * mouthToEyeRatio)
  const scale = (geometry.eyeDistance * size) / reference
  const cos = (vx / eyeDistance) * scale
  const sin = (vy / eyeDistance) * scale
  // Rotate by −θ (θ the eye line's angle) and scale about the eye mid-point, then move it to
  // the crop's eye position.
  const a = cos
  const b = sin
  const d = -sin
  const e = cos
  return [a, b, size / 2 - (a * mx + b * my), d, e, geometry.eyeY * size - (d * mx + e * my)]
}

/** Landmarks → transform, for the usual case. */
export function faceTransform(landmarks: Point[], size: number, framing: Framing): Affine {
  return alignmentTransform(eyeCentres(landmarks), size, framing, mouthCentre(landmarks))
}

export function applyAffine(m: Affine, [x, y]: Point): Point {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]]
}

export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m
  const det = a * e - b * d
  if (det === 0) throw new RangeError('the transform is singular')
  const ia = e / det
  const ib = -b / det
  const id = -d / det
  const ie = a / det
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)]
}

/** `outer ∘ inner`: first inner, then outer. */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer
  const [p, q, r, s, t, u] = inner
  return [a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f]
}

/** How many photo pixels one crop pixel spans (the transform's inverse scale). */
export function sourcePixelsPerOutputPixel(m: Affine): number {
  return 1 / Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]))
}

function mean(points: Point[]): Point {
  let x = 0
  let y = 0
  for (const [px, py] of points) {
    x += px
    y += py
  }
  return [x / points.length, y / points.length]
}
