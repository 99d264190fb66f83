/**
 * A Gaussian mixture over latent codes: its density (for choosing the number of components by
 * held-out log-likelihood) and seeded sampling (so a grid drawn from it can be reproduced).
 * Diagonal components store variances; full ones a covariance, factored once by Cholesky.
 */
import { Rng } from '../random/rng'
import { cholesky, solveLower } from '../quality/linalg'

export type CovarianceKind = 'diag' | 'full'

export interface GaussianMixture {
  covariance: CovarianceKind
  dim: number
  weights: Float64Array
  means: Float64Array[]
  /** 'diag': d variances per component; 'full': a d×d row-major covariance per component. */
  covariances: Float64Array[]
}

/** Per-component terms every density evaluation and draw needs, computed once. */
interface Prepared {
  logWeight: number
  /** −½(d·log 2π + log det Σ). */
  logNorm: number
  /** 'diag': standard deviations; 'full': the Cholesky factor L. */
  factor: Float64Array
}

const preparedCache = new WeakMap<GaussianMixture, Prepared[]>()

function prepare(m: GaussianMixture): Prepared[] {
  const cached = preparedCache.get(m)
  if (cached) return cached
  const d = m.dim
  const prepared = m.means.map((_, k) => {
    const cov = m.covariances[k]
    let factor: Float64Array
    let logDet = 0
    if (m.covariance === 'diag') {
      factor = cov.map(Math.sqrt)
      for (const v of cov) logDet += Math.log(v)
    } else {
      const l = cholesky(cov, d)
      if (!l) throw new Error(`component ${k} has a covariance that is not positive definite; fit with more regularisation`)
      factor = l
      for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i])
    }
    return { logWeight: Math.log(m.weights[k]), logNorm: -0.5 * (d * Math.log(2 * Math.PI) + logDet), factor }
  })
  preparedCache.set(m, prepared)
  return prepared
}

/**
 * log w_k + log N(x | μ_k, Σ_k) for every component, into `out`; `scratch` has length d.
 * Exported for the EM fit, which needs the per-component terms, not only their sum.
 */
export function componentLogDensities(
  m: GaussianMixture,
  x: ArrayLike<number>,
  out: Float64Array,
  scratch = new Float64Array(m.dim)
): Float64Array {
  const d = m.dim
  prepare(m).forEach((p, k) => {
    const mean = m.means[k]
    let quad = 0
    if (m.covariance === 'diag') {
      for (let i = 0; i < d; i++) quad += ((x[i] - mean[i]) / p.factor[i]) ** 2
    } else {
      for (let i = 0; i < d; i++) scratch[i] = x[i] - mean[i]
      const y = solveLower(p.factor, d, scratch, scratch)
      for (let i = 0; i < d; i++) quad += y[i] * y[i]
    }
    out[k] = p.logWeight + p.logNorm - 0.5 * quad
  })
  return out
}

export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i]
  if (max === -Infinity) return -Infinity
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max)
  return max + Math.log(sum)
}

/** Mean log-likelihood per point (nats). */
export function mixtureLogLikelihood(m: GaussianMixture, points: readonly ArrayLike<number>[]): number {
  const terms = new Float64Array(m.weights.length)
  const scratch = new Float64Array(m.dim)
  let total = 0
  for (const x of points) total += logSumExp(componentLogDensities(m, x, terms, scratch))
  return total / points.length
}

/**
 * `count` codes drawn with `seed`: a component by weight, then μ + temperature · (L or σ) · ε.
 * Temperature scales the spread of each component, not the positions of the components.
 */
export function sampleMixture(m: GaussianMixture, count: number, seed: number, temperature = 1): number[][] {
  const rng = new Rng(seed)
  const prepared = prepare(m)
  const d = m.dim
  const cumulative: number[] = []
  let acc = 0
  for (const w of m.weights) cumulative.push((acc += w))
  const eps = new Float64Array(d)
  return Array.from({ length: count }, () => {
    const u = rng.next() * acc
    let k = cumulative.findIndex((c) => u < c)
    if (k < 0) k = m.weights.length - 1
    for (let i = 0; i < d; i++) eps[i] = rng.normal() * temperature
    const mean = m.means[k]
    const f = prepared[k].factor
    const z = new Array<number>(d)
    for (let i = 0; i < d; i++) {
      let v = mean[i]
      if (m.covariance === 'diag') v += f[i] * eps[i]
      else for (let j = 0; j <= i; j++) v += f[i * d + j] * eps[j]
      z[i] = v
    }
    return z
  })
}
