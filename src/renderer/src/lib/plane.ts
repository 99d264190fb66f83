/**
 * Geometry of the latent canvas. A plane position (u, v) is measured like the map's points:
 * along the two axis directions, from the map's origin. The decoded code keeps the base's
 * components outside the plane and replaces its two in-plane coordinates with (u, v), so at a
 * picked image's own point the decoder sees exactly that image's μ.
 */
import type { LatentMap } from '../../../shared/contract'

export interface Bounds {
  minU: number
  maxU: number
  minV: number
  maxV: number
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

export function planeToLatent(u: number, v: number, map: Pick<LatentMap, 'axes' | 'origin'>, base: readonly number[]): number[] {
  const [a1, a2] = map.axes
  const rel = base.map((b, i) => b - map.origin[i])
  const du = u - dot(rel, a1)
  const dv = v - dot(rel, a2)
  return base.map((b, i) => b + du * a1[i] + dv * a2[i])
}

/** Coordinates of a latent code on the plane (the inverse of planeToLatent within the plane). */
export function latentToPlane(z: readonly number[], map: Pick<LatentMap, 'axes' | 'origin'>): [number, number] {
  const rel = z.map((x, i) => x - map.origin[i])
  return [dot(rel, map.axes[0]), dot(rel, map.axes[1])]
}

/**
 * A square-ish view around the points, padded so edge points are not on the border; the prior's
 * ±3 range is the fallback when there are no points.
 */
export function planeBounds(points: ReadonlyArray<readonly [number, number]>, pad = 0.1): Bounds {
  if (points.length === 0) return { minU: -3, maxU: 3, minV: -3, maxV: 3 }
  let minU = Infinity,
    maxU = -Infinity,
    minV = Infinity,
    maxV = -Infinity
  for (const [u, v] of points) {
    if (u < minU) minU = u
    if (u > maxU) maxU = u
    if (v < minV) minV = v
    if (v > maxV) maxV = v
  }
  const spanU = Math.max(maxU - minU, 1e-3)
  const spanV = Math.max(maxV - minV, 1e-3)
  return { minU: minU - spanU * pad, maxU: maxU + spanU * pad, minV: minV - spanV * pad, maxV: maxV + spanV * pad }
}

/** Plane → pixel; v grows upwards on screen, as on a chart. */
export function toPixel(u: number, v: number, b: Bounds, width: number, height: number): [number, number] {
  return [((u - b.minU) / (b.maxU - b.minU)) * width, (1 - (v - b.minV) / (b.maxV - b.minV)) * height]
}

export function fromPixel(x: number, y: number, b: Bounds, width: number, height: number): [number, number] {
  return [b.minU + (x / width) * (b.maxU - b.minU), b.minV + (1 - y / height) * (b.maxV - b.minV)]
}

/** Index of the point nearest (x, y) in pixels, if one lies within `radius` pixels. */
export function nearestPoint(
  points: ReadonlyArray<readonly [number, number]>,
  x: number,
  y: number,
  b: Bounds,
  width: number,
  height: number,
  radius: number
): number | null {
  let best: number | null = null
  let bestD = radius * radius
  for (let i = 0; i < points.length; i++) {
    const [px, py] = toPixel(points[i][0], points[i][1], b, width, height)
    const d = (px - x) ** 2 + (py - y) ** 2
    if (d <= bestD) {
      bestD = d
      best = i
    }
  }
  return best
}
