/** Seeded data for the quality tests: Gaussian clouds with known parameters. */
import { Rng } from '../../src/main/engine/random/rng'

/** `count` draws from N(mean, diag(std²)). */
export function gaussianCloud(count: number, mean: number[], std: number[], seed: number): number[][] {
  const rng = new Rng(seed)
  return Array.from({ length: count }, () => mean.map((m, j) => m + std[j] * rng.normal()))
}

/** A random orthogonal n×n matrix (Gram–Schmidt on Gaussian columns), row-major. */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const rng = new Rng(seed)
  const cols: Float64Array[] = []
  while (cols.length < n) {
    const v = Float64Array.from({ length: n }, () => rng.normal())
    for (const c of cols) {
      let dot = 0
      for (let i = 0; i < n; i++) dot += v[i] * c[i]
      for (let i = 0; i < n; i++) v[i] -= dot * c[i]
    }
    const norm = Math.hypot(...v)
    if (norm > 1e-8) cols.push(v.map((x) => x / norm))
  }
  const q = new Float64Array(n * n)
  cols.forEach((c, j) => c.forEach((x, i) => (q[i * n + j] = x)))
  return q
}

/** Q·diag(values)·Qᵀ: a symmetric matrix with known eigenvalues. */
export function withEigenvalues(q: Float64Array, values: number[]): Float64Array {
  const n = values.length
  const a = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q[i * n + k] * values[k] * q[j * n + k]
  return a
}
