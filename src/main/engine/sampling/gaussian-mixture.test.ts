import { describe, expect, it } from 'vitest'
import { chooseMixture } from './choose-mixture'
import { fitMixture } from './fit-mixture'
import { mixtureLogLikelihood, sampleMixture, type GaussianMixture } from './gaussian-mixture'
import { gaussianStats } from '../quality/linalg'
import { gaussianCloud } from '../../../../test/support/quality-testing-helpers'

/** Three well-separated, correlated 2-D clusters with weights 0.5, 0.3, 0.2. */
const truth: GaussianMixture = {
  covariance: 'full',
  dim: 2,
  weights: Float64Array.from([0.5, 0.3, 0.2]),
  means: [Float64Array.from([0, 0]), Float64Array.from([6, 1]), Float64Array.from([-2, 7])],
  covariances: [Float64Array.from([1, 0.6, 0.6, 1]), Float64Array.from([0.5, 0, 0, 2]), Float64Array.from([0.3, -0.2, -0.2, 0.4])]
}

/** Fitted components matched to the true ones by nearest mean. */
function matchComponents(fitted: GaussianMixture): number[] {
  return truth.means.map((m) => {
    const dist = fitted.means.map((f) => Math.hypot(f[0] - m[0], f[1] - m[1]))
    return dist.indexOf(Math.min(...dist))
  })
}

describe('Gaussian mixture', () => {
  it('has the closed-form log density of a single Gaussian', () => {
    const single: GaussianMixture = {
      covariance: 'full',
      dim: 2,
      weights: Float64Array.from([1]),
      means: [Float64Array.from([1, 2])],
      covariances: [Float64Array.from([4, 0, 0, 1])]
    }
    const x = [3, 1]
    // log N = −log(2π) − ½ log det Σ − ½ (x−μ)ᵀ Σ⁻¹ (x−μ) = −log 2π − ½ log 4 − ½ (4/4 + 1/1)
    expect(mixtureLogLikelihood(single, [x])).toBeCloseTo(-Math.log(2 * Math.PI) - 0.5 * Math.log(4) - 1, 12)
    const diag: GaussianMixture = { ...single, covariance: 'diag', covariances: [Float64Array.from([4, 1])] }
    expect(mixtureLogLikelihood(diag, [x])).toBeCloseTo(mixtureLogLikelihood(single, [x]), 12)
  })

  it('samples reproducibly with a seed, and its samples have the mixture’s moments', () => {
    expect(sampleMixture(truth, 50, 7)).toEqual(sampleMixture(truth, 50, 7))
    expect(sampleMixture(truth, 50, 8)).not.toEqual(sampleMixture(truth, 50, 7))
    const s = gaussianStats(sampleMixture(truth, 20000, 1))
    const mean = [0.5 * 0 + 0.3 * 6 + 0.2 * -2, 0.5 * 0 + 0.3 * 1 + 0.2 * 7]
    expect(s.mean[0]).toBeCloseTo(mean[0], 1)
    expect(s.mean[1]).toBeCloseTo(mean[1], 1)
  })

  it('scales each component’s spread, not its position, by the temperature', () => {
    const cold = gaussianStats(sampleMixture({ ...truth, weights: Float64Array.from([1, 0, 0]) }, 20000, 2, 0.5))
    expect(cold.mean[0]).toBeCloseTo(0, 1)
    expect(cold.cov[0]).toBeCloseTo(0.25, 1)
    expect(cold.cov[1]).toBeCloseTo(0.15, 1)
  })

  for (const covariance of ['full', 'diag'] as const) {
    it(`EM (${covariance}) recovers the weights and means of a known 3-component mixture`, () => {
      const points = sampleMixture(truth, 3000, 3)
      const fit = fitMixture(points, { components: 3, covariance, seed: 1 })
      expect(fit.converged).toBe(true)
      const match = matchComponents(fit.mixture)
      expect(new Set(match).size).toBe(3)
      truth.means.forEach((m, k) => {
        const f = fit.mixture.means[match[k]]
        expect(Math.hypot(f[0] - m[0], f[1] - m[1])).toBeLessThan(0.15)
        expect(fit.mixture.weights[match[k]]).toBeCloseTo(truth.weights[k], 1)
      })
      if (covariance === 'full') {
        const c = fit.mixture.covariances[match[0]]
        expect(c[1]).toBeCloseTo(0.6, 1)
        expect(c[3]).toBeCloseTo(1, 1)
        // A fit this good scores like the true mixture on fresh points.
        const fresh = sampleMixture(truth, 2000, 4)
        expect(mixtureLogLikelihood(fit.mixture, fresh)).toBeGreaterThan(mixtureLogLikelihood(truth, fresh) - 0.02)
      } else {
        expect(fit.mixture.covariances[match[1]][1]).toBeCloseTo(2, 0)
      }
    })
  }

  it('is reproducible: the same seed gives the same fit', () => {
    const points = sampleMixture(truth, 500, 5)
    expect(fitMixture(points, { components: 4, covariance: 'diag', seed: 9 }).mixture).toEqual(
      fitMixture(points, { components: 4, covariance: 'diag', seed: 9 }).mixture
    )
  })

  it('chooses 3 components for 3 clusters by held-out log-likelihood', () => {
    const choice = chooseMixture(sampleMixture(truth, 1500, 6), { covariance: 'full', candidates: [1, 2, 3, 4, 6, 8], seed: 2 })
    expect(choice.components).toBe(3)
    expect(choice.scores.map((s) => s.components)).toEqual([1, 2, 3, 4, 6, 8])
  })

  it('holds out whole groups (images), so draws of one image cannot reward memorising it', () => {
    // 60 "images" from one N(0, I), each drawn 20 times with a tiny σ, as z draws of a sharp posterior.
    const images = gaussianCloud(60, [0, 0], [1, 1], 8)
    const draws = images.flatMap((m, i) => gaussianCloud(20, m, [0.05, 0.05], 100 + i))
    const groups = draws.map((_, i) => Math.floor(i / 20))
    const candidates = [1, 2, 4, 8, 16, 32]
    const grouped = chooseMixture(draws, { covariance: 'diag', candidates, groups, seed: 1 })
    const ungrouped = chooseMixture(draws, { covariance: 'diag', candidates, seed: 1 })
    expect(grouped.components).toBeLessThanOrEqual(4)
    expect(ungrouped.components).toBeGreaterThan(grouped.components)
  })

  it('stays finite on codes with a collapsed (constant) dimension, thanks to the ridge', () => {
    const points = sampleMixture(truth, 300, 7).map(([a, b]) => [a, b, 0])
    const fit = fitMixture(points, { components: 2, covariance: 'full', seed: 1 })
    expect(Number.isFinite(fit.logLikelihood)).toBe(true)
    expect(sampleMixture(fit.mixture, 10, 1).flat().every(Number.isFinite)).toBe(true)
  })
})
