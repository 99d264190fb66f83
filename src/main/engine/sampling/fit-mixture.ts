/**
 * Fits a Gaussian mixture to latent codes by expectation–maximisation, started from seeded
 * k-means++ centres so a fit is reproducible. A small ridge on every covariance keeps components
 * on few points (or on collapsed latent dimensions, whose codes barely vary) from going singular.
 */
import { Rng } from '../random/rng'
import { componentLogDensities, logSumExp, type CovarianceKind, type GaussianMixture } from './gaussian-mixture'

export interface FitMixtureOptions {
  components: number
  covariance: CovarianceKind
  seed?: number
  /** Added to every variance (default 1e-3; codes have unit scale, so this is a tiny floor). */
  regularization?: number
  maxIterations?: number
  /** Stop when the mean log-likelihood per point improves by less than this (default 1e-5). */
  tolerance?: number
}

export interface FittedMixture {
  mixture: GaussianMixture
  /** Mean log-likelihood per training point at the end. */
  logLikelihood: number
  iterations: number
  converged: boolean
}

export function fitMixture(points: readonly ArrayLike<number>[], options: FitMixtureOptions): FittedMixture {
  const n = points.length
  const d = points[0]?.length ?? 0
  const k = Math.min(options.components, n)
  if (k < 1 || d === 0) throw new Error(`cannot fit ${options.components} component(s) to ${n} point(s)`)
  const reg = options.regularization ?? 1e-3
  const maxIterations = options.maxIterations ?? 200
  const tolerance = options.tolerance ?? 1e-5
  const rng = new Rng(options.seed ?? 0)
  // Responsibilities, n×k, started from hard k-means++ assignments.
  const resp = new Float64Array(n * k)
  const labels = kMeans(points, kMeansPlusPlus(points, k, rng), 10)
  labels.forEach((c, i) => (resp[i * k + c] = 1))
  let mixture = maximise(points, resp, k, d, options.covariance, reg)
  let previous = -Infinity
  let logLikelihood = -Infinity
  let iterations = 0
  let converged = false
  const terms = new Float64Array(k)
  const scratch = new Float64Array(d)
  while (iterations < maxIterations) {
    iterations++
    let total = 0
    points.forEach((x, i) => {
      componentLogDensities(mixture, x, terms, scratch)
      const norm = logSumExp(terms)
      total += norm
      for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(terms[c] - norm)
    })
    logLikelihood = total / n
    if (logLikelihood - previous < tolerance) {
      converged = true
      break
    }
    previous = logLikelihood
    mixture = maximise(points, resp, k, d, options.covariance, reg)
  }
  return { mixture, logLikelihood, iterations, converged }
}

/** The M step: weights, means and (regularised) covariances from the responsibilities. */
function maximise(
  points: readonly ArrayLike<number>[],
  resp: Float64Array,
  k: number,
  d: number,
  kind: CovarianceKind,
  reg: number
): GaussianMixture {
  const n = points.length
  const weights = new Float64Array(k)
  const means: Float64Array[] = []
  const covariances: Float64Array[] = []
  const diff = new Float64Array(d)
  for (let c = 0; c < k; c++) {
    // A floor on the mass keeps an emptied component finite; it then sits at the data mean.
    let mass = 1e-10
    const mean = new Float64Array(d)
    points.forEach((x, i) => {
      const r = resp[i * k + c]
      mass += r
      for (let j = 0; j < d; j++) mean[j] += r * x[j]
    })
    for (let j = 0; j < d; j++) mean[j] /= mass
    const cov = new Float64Array(kind === 'diag' ? d : d * d)
    points.forEach((x, i) => {
      const r = resp[i * k + c]
      if (r < 1e-12) return
      for (let j = 0; j < d; j++) diff[j] = x[j] - mean[j]
      if (kind === 'diag') {
        for (let j = 0; j < d; j++) cov[j] += r * diff[j] * diff[j]
      } else {
        for (let a = 0; a < d; a++) {
          const ra = r * diff[a]
          for (let b = a; b < d; b++) cov[a * d + b] += ra * diff[b]
        }
      }
    })
    if (kind === 'diag') {
      for (let j = 0; j < d; j++) cov[j] = cov[j] / mass + reg
    } else {
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          const v = cov[a * d + b] / mass + (a === b ? reg : 0)
          cov[a * d + b] = v
          cov[b * d + a] = v
        }
      }
    }
    weights[c] = mass / n
    means.push(mean)
    covariances.push(cov)
  }
  const total = weights.reduce((s, w) => s + w, 0)
  for (let c = 0; c < k; c++) weights[c] /= total
  return { covariance: kind, dim: d, weights, means, covariances }
}

/** k-means++ seeding (each next centre drawn with probability ∝ squared distance). */
export function kMeansPlusPlus(points: readonly ArrayLike<number>[], k: number, rng: Rng): ArrayLike<number>[] {
  const centres = [points[rng.int(points.length)]]
  const dist = points.map((x) => squaredDistance(x, centres[0]))
  while (centres.length < k) {
    const total = dist.reduce((s, v) => s + v, 0)
    let u = rng.next() * total
    let pick = dist.findIndex((v) => (u -= v) < 0)
    if (pick < 0 || total === 0) pick = rng.int(points.length)
    centres.push(points[pick])
    points.forEach((x, i) => (dist[i] = Math.min(dist[i], squaredDistance(x, points[pick]))))
  }
  return centres
}

/** A few Lloyd iterations from the given centres; returns each point's cluster. */
function kMeans(points: readonly ArrayLike<number>[], start: ArrayLike<number>[], iterations: number): number[] {
  let centres = start
  let labels = points.map((x) => nearest(x, centres))
  for (let it = 0; it < iterations; it++) {
    const d = points[0].length
    const sums = centres.map(() => new Float64Array(d))
    const counts = new Array<number>(centres.length).fill(0)
    points.forEach((x, i) => {
      counts[labels[i]]++
      for (let j = 0; j < d; j++) sums[labels[i]][j] += x[j]
    })
    // An emptied cluster keeps its old centre.
    centres = sums.map((s, c) => (counts[c] ? s.map((v) => v / counts[c]) : centres[c]))
    const next = points.map((x) => nearest(x, centres))
    if (next.every((c, i) => c === labels[i])) break
    labels = next
  }
  return labels
}

function nearest(x: ArrayLike<number>, centres: ArrayLike<number>[]): number {
  let best = 0
  let bestDist = Infinity
  centres.forEach((c, i) => {
    const dd = squaredDistance(x, c)
    if (dd < bestDist) [best, bestDist] = [i, dd]
  })
  return best
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2
  return s
}
