import { describe, expect, it } from 'vitest'
import { kernelDistance, mmdUnbiased } from './kernel-distance'
import { gaussianCloud } from '../../../../test/support/quality-testing-helpers'

describe('kernel distance (KID)', () => {
  it('computes the unbiased MMD² by hand on two tiny sets', () => {
    const k = (x: number[], y: number[]): number => ((x[0] * y[0] + x[1] * y[1]) / 2 + 1) ** 3
    const a = [
      [1, 0],
      [0, 1]
    ]
    const b = [
      [1, 1],
      [0, 0],
      [2, -1]
    ]
    const within = (rows: number[][]): number => {
      let s = 0
      rows.forEach((x, i) => rows.forEach((y, j) => i !== j && (s += k(x, y))))
      return s / (rows.length * (rows.length - 1))
    }
    let cross = 0
    a.forEach((x) => b.forEach((y) => (cross += k(x, y))))
    const expected = within(a) + within(b) - (2 * cross) / 6
    expect(mmdUnbiased(a, b)).toBeCloseTo(expected, 12)
    expect(mmdUnbiased(b, a)).toBeCloseTo(expected, 12)
  })

  it('is ≈ 0 (either sign) for two sets from one distribution, and clearly positive for different ones', () => {
    const d = 32
    const a = gaussianCloud(400, Array(d).fill(0), Array(d).fill(1), 1)
    const same = gaussianCloud(400, Array(d).fill(0), Array(d).fill(1), 2)
    const shifted = gaussianCloud(400, Array(d).fill(0.3), Array(d).fill(1), 3)
    const wider = gaussianCloud(400, Array(d).fill(0), Array(d).fill(1.3), 4)
    const sameKid = kernelDistance(a, same, { subsets: 20, subsetSize: 200, seed: 1 })
    const shiftedKid = kernelDistance(a, shifted, { subsets: 20, subsetSize: 200, seed: 1 })
    const widerKid = kernelDistance(a, wider, { subsets: 20, subsetSize: 200, seed: 1 })
    console.info(
      `KID same ${sameKid.mean.toFixed(5)} ± ${sameKid.std.toFixed(5)}, shifted ${shiftedKid.mean.toFixed(5)}, wider ${widerKid.mean.toFixed(5)}`
    )
    expect(Math.abs(sameKid.mean)).toBeLessThan(sameKid.std)
    expect(shiftedKid.mean).toBeGreaterThan(5 * sameKid.std)
    expect(widerKid.mean).toBeGreaterThan(5 * sameKid.std)
  })

  it('is unbiased: the mean over many same-distribution pairs of small sets is ≈ 0', () => {
    const d = 8
    const estimates = Array.from({ length: 400 }, (_, t) =>
      mmdUnbiased(
        gaussianCloud(10, Array(d).fill(0.5), Array(d).fill(1), 2 * t),
        gaussianCloud(10, Array(d).fill(0.5), Array(d).fill(1), 2 * t + 1)
      )
    )
    const mean = estimates.reduce((s, v) => s + v, 0) / estimates.length
    const std = Math.sqrt(estimates.reduce((s, v) => s + (v - mean) ** 2, 0) / estimates.length)
    // Within 4 standard errors of 0; a biased (V-statistic) estimate would sit many errors above.
    expect(Math.abs(mean)).toBeLessThan((4 * std) / Math.sqrt(estimates.length))
  })

  it('is reproducible with a seed and uses one estimate on all rows when subsets would cover both sets', () => {
    const a = gaussianCloud(50, [0, 0], [1, 1], 1)
    const b = gaussianCloud(80, [0, 1], [1, 1], 2)
    expect(kernelDistance(a, b, { seed: 3, subsetSize: 30 })).toEqual(kernelDistance(a, b, { seed: 3, subsetSize: 30 }))
    expect(kernelDistance(a, b.slice(0, 50), { subsetSize: 1000 })).toMatchObject({ subsets: 1, std: 0, subsetSize: 50 })
    expect(kernelDistance(a, b, { subsetSize: 1000, subsets: 7 })).toMatchObject({ subsets: 7, subsetSize: 50 })
  })
})
