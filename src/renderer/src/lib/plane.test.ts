import { describe, expect, it } from 'vitest'
import { fromPixel, latentToPlane, nearestPoint, planeBounds, planeToLatent, toPixel } from './plane'

// A PCA-like plane in 3-D: orthonormal axes not aligned with the coordinate axes, a non-zero origin.
const s = Math.SQRT1_2
const map = {
  axes: [
    [s, s, 0],
    [-s, s, 0]
  ] as [number[], number[]],
  origin: [1, 2, 3]
}

describe('latent plane geometry', () => {
  it('keeps the base outside the plane and puts (u, v) inside it', () => {
    const base = [0, 0, 5]
    const z = planeToLatent(0.5, -1, map, base)
    expect(z[2]).toBeCloseTo(5) // the out-of-plane part comes from the base
    const [u, v] = latentToPlane(z, map)
    expect(u).toBeCloseTo(0.5)
    expect(v).toBeCloseTo(-1)
  })

  it('decodes a picked image exactly at its own point', () => {
    const mu = [0.3, -1.2, 0.7]
    const [u, v] = latentToPlane(mu, map)
    planeToLatent(u, v, map, mu).forEach((x, i) => expect(x).toBeCloseTo(mu[i]))
  })

  it('with two chosen dimensions and the zero base, sets just those two', () => {
    const dims = {
      axes: [
        [0, 0, 1, 0],
        [0, 1, 0, 0]
      ] as [number[], number[]],
      origin: [0, 0, 0, 0]
    }
    expect(planeToLatent(2, -3, dims, [0, 0, 0, 0])).toEqual([0, -3, 2, 0])
  })

  it('maps pixels and plane coordinates both ways, v upwards', () => {
    const b = { minU: -2, maxU: 2, minV: -1, maxV: 3 }
    expect(toPixel(-2, 3, b, 400, 400)).toEqual([0, 0])
    expect(toPixel(2, -1, b, 400, 400)).toEqual([400, 400])
    const [u, v] = fromPixel(...toPixel(0.7, 1.1, b, 400, 400), b, 400, 400)
    expect(u).toBeCloseTo(0.7)
    expect(v).toBeCloseTo(1.1)
  })

  it('pads the bounds around the points, with a fallback for none', () => {
    expect(
      planeBounds(
        [
          [0, 0],
          [10, 20]
        ],
        0.1
      )
    ).toEqual({ minU: -1, maxU: 11, minV: -2, maxV: 22 })
    expect(planeBounds([])).toEqual({ minU: -3, maxU: 3, minV: -3, maxV: 3 })
  })

  it('finds the nearest point within the radius only', () => {
    const b = { minU: 0, maxU: 100, minV: 0, maxV: 100 }
    const points: Array<[number, number]> = [
      [10, 90],
      [50, 50],
      [52, 50]
    ]
    expect(nearestPoint(points, 51.5, 50, b, 100, 100, 5)).toBe(2)
    expect(nearestPoint(points, 10, 10, b, 100, 100, 5)).toBe(0)
    expect(nearestPoint(points, 80, 80, b, 100, 100, 5)).toBeNull()
  })
})
