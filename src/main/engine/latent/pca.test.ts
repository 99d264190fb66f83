import { describe, expect, it } from 'vitest'
import { Rng } from '../random/rng'
import { pca } from './pca'

describe('pca', () => {
  it('finds the directions of largest spread, in order', () => {
    const rng = new Rng(1)
    // Spread 5 along (1,1,0)/√2, 1 along (0,0,1), 0.1 along (1,−1,0)/√2, centred on (2, 2, 2).
    const points = Array.from({ length: 2000 }, () => {
      const a = rng.normal() * 5
      const b = rng.normal()
      const c = rng.normal() * 0.1
      return [2 + (a + c) / Math.SQRT2, 2 + (a - c) / Math.SQRT2, 2 + b]
    })
    const result = pca(points)
    expect(result.mean[0]).toBeCloseTo(2, 0)
    expect(Math.abs(result.components[0][0])).toBeCloseTo(Math.SQRT1_2, 2)
    expect(Math.abs(result.components[0][1])).toBeCloseTo(Math.SQRT1_2, 2)
    expect(Math.abs(result.components[1][2])).toBeCloseTo(1, 2)
    const spread = (i: number) => Math.sqrt(result.projected.reduce((s, p) => s + p[i] ** 2, 0) / points.length)
    expect(spread(0)).toBeCloseTo(5, 0)
    expect(spread(1)).toBeCloseTo(1, 0)
  })
})
