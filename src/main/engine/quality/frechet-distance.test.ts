import { describe, expect, it } from 'vitest'
import { frechetDistance, type FrechetStats } from './frechet-distance'
import { gaussianCloud, randomOrthogonal, withEigenvalues } from '../../../../test/support/quality-testing-helpers'

function stats(mean: number[], cov: Float64Array): FrechetStats {
  return { dim: mean.length, count: 1000, mean: Float64Array.from(mean), cov }
}

describe('Fréchet distance', () => {
  it('is 0 between a set and itself (128-d, as face embeddings)', () => {
    const rows = gaussianCloud(300, Array(128).fill(0.1), Array(128).fill(0.05), 1)
    expect(frechetDistance(rows, rows)).toBeLessThan(1e-12)
  })

  it('matches the closed form for Gaussians: ‖Δm‖² + Σ(√aᵢ − √bᵢ)² for diagonal covariances', () => {
    const a = stats([0, 1, 2], Float64Array.from([4, 0, 0, 0, 1, 0, 0, 0, 9]))
    const b = stats([1, 1, 0], Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]))
    expect(frechetDistance(a, b)).toBeCloseTo(1 + 4 + (2 - 1) ** 2 + 0 + (3 - 1) ** 2, 12)
  })

  it('matches the closed form when one covariance is s²·I: tr C₁ + tr C₂ − 2s·Σ√λ(C₂)', () => {
    const n = 16
    const spectrum = Array.from({ length: n }, (_, i) => 0.5 + i / 4)
    const c2 = withEigenvalues(randomOrthogonal(n, 9), spectrum)
    const c1 = new Float64Array(n * n)
    for (let i = 0; i < n; i++) c1[i * n + i] = 0.25
    const shift = Array.from({ length: n }, (_, i) => (i === 3 ? 2 : 0))
    const expected = 4 + 0.25 * n + spectrum.reduce((s, v) => s + v, 0) - 2 * 0.5 * spectrum.reduce((s, v) => s + Math.sqrt(v), 0)
    expect(frechetDistance(stats(shift, c1), stats(Array(n).fill(0), c2))).toBeCloseTo(expected, 10)
    expect(frechetDistance(stats(Array(n).fill(0), c2), stats(shift, c1))).toBeCloseTo(expected, 10)
  })

  it('agrees with scipy (sqrtm) on a small hand-made pair of sets', () => {
    const a = [
      [1, 2, 0],
      [0, 1, 1],
      [2, 0, 1],
      [1, 1, 3],
      [0, 2, 2]
    ]
    const b = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [2, 2, 2],
      [1, -1, 0],
      [0.5, 0.5, 1]
    ]
    // numpy/scipy: ‖m₁−m₂‖² + tr C₁ + tr C₂ − 2 tr sqrtm(C₁C₂) = 2.1130996619389677
    expect(frechetDistance(a, b)).toBeCloseTo(2.1130996619389677, 12)
  })

  it('between samples of shifted unit Gaussians approaches ‖δ‖² (plus the small-sample bias)', () => {
    const d = 8
    const a = gaussianCloud(4000, Array(d).fill(0), Array(d).fill(1), 2)
    const b = gaussianCloud(4000, [1, 0, 0, 0, 0, 0, 0, 1], Array(d).fill(1), 3)
    const fd = frechetDistance(a, b)
    // Sampling noise of the means (σ ≈ 0.06 here) dominates the bias (≈ d·d/N ≈ 0.03).
    expect(fd).toBeGreaterThan(1.8)
    expect(fd).toBeLessThan(2.2)
  })

  it('stays non-negative on rank-deficient covariances (fewer rows than dimensions)', () => {
    const a = gaussianCloud(20, Array(128).fill(0), Array(128).fill(0.1), 4)
    const b = gaussianCloud(30, Array(128).fill(0), Array(128).fill(0.1), 5)
    const fd = frechetDistance(a, b)
    expect(Number.isFinite(fd)).toBe(true)
    expect(fd).toBeGreaterThan(0)
  })
})
