/**
 * Paths between two codes for morphs and GIFs. Spherical interpolation is the default a user
 * wants: under a Gaussian prior most of the mass sits near a shell of radius ≈ √D, and a straight
 * line between two codes cuts through the low-norm interior, where decoded images turn washed out
 * and blurry. Slerp keeps the path's norm between the endpoints' norms.
 */
import { commonLength, dot, norm } from './vectors'

export type InterpolationMode = 'linear' | 'spherical'

/** Below this angle (radians) slerp's 1/sin(Ω) loses precision; the chord and arc coincide anyway. */
const minAngle = 1e-4

/** `frames` codes from `a` to `b` inclusive; the first and last are exact copies of `a` and `b`. */
export function interpolateCodes(a: readonly number[], b: readonly number[], frames: number, mode: InterpolationMode): number[][] {
  commonLength([a, b], 'interpolate')
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`interpolation needs at least 2 frames, got ${frames}`)
  const path: number[][] = []
  for (let i = 0; i < frames; i++) {
    const t = i / (frames - 1)
    path.push(i === 0 ? [...a] : i === frames - 1 ? [...b] : mode === 'spherical' ? slerp(a, b, t) : lerp(a, b, t))
  }
  return path
}

export function lerp(a: readonly number[], b: readonly number[], t: number): number[] {
  return a.map((v, j) => v + t * (b[j] - v))
}

/**
 * Shoemake's slerp applied to the raw (unnormalised) codes, as in White's "Sampling Generative
 * Networks": the angle comes from the directions, and the weights also blend the two norms. Falls
 * back to `lerp` for a zero code or (anti-)parallel codes, where the great circle is undefined.
 */
export function slerp(a: readonly number[], b: readonly number[], t: number): number[] {
  const na = norm(a)
  const nb = norm(b)
  if (na === 0 || nb === 0) return lerp(a, b, t)
  const cos = Math.min(1, Math.max(-1, dot(a, b) / (na * nb)))
  const omega = Math.acos(cos)
  const sin = Math.sin(omega)
  if (omega < minAngle || Math.PI - omega < minAngle) return lerp(a, b, t)
  const wa = Math.sin((1 - t) * omega) / sin
  const wb = Math.sin(t * omega) / sin
  return a.map((v, j) => wa * v + wb * b[j])
}
