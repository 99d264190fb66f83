/**
 * The first principal components of a set of codes, for the latent canvas's default plane.
 * Power iteration with deflation on the D×D covariance: D ≤ 256, so this is exact enough and
 * needs no linear-algebra dependency.
 */
export interface Pca {
  mean: number[]
  components: number[][]
  /** Each point's coordinates along the components. */
  projected: number[][]
}

export function pca(points: number[][], k = 2, iterations = 200): Pca {
  const n = points.length
  const d = points[0]?.length ?? 0
  if (n === 0 || d === 0) throw new Error('no codes to analyse')
  const mean = new Array<number>(d).fill(0)
  for (const p of points) p.forEach((v, j) => (mean[j] += v / n))
  const cov = Array.from({ length: d }, () => new Float64Array(d))
  for (const p of points) {
    for (let a = 0; a < d; a++) {
      const da = p[a] - mean[a]
      for (let b = a; b < d; b++) cov[a][b] += (da * (p[b] - mean[b])) / Math.max(1, n - 1)
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a][b] = cov[b][a]
  const components: number[][] = []
  for (let c = 0; c < Math.min(k, d); c++) {
    // A fixed, non-degenerate start keeps the result deterministic.
    let v = Array.from({ length: d }, (_, j) => 1 + j / d)
    for (let it = 0; it < iterations; it++) {
      const next = cov.map((row) => row.reduce((s, x, j) => s + x * v[j], 0))
      for (const prev of components) {
        const dot = next.reduce((s, x, j) => s + x * prev[j], 0)
        prev.forEach((x, j) => (next[j] -= dot * x))
      }
      const norm = Math.hypot(...next)
      if (norm < 1e-12) break
      v = next.map((x) => x / norm)
    }
    // Orient each axis so its largest coordinate is positive: stable signs across calls.
    const largest = v.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0)
    components.push(largest < 0 ? v.map((x) => -x) : v)
  }
  const projected = points.map((p) => components.map((comp) => comp.reduce((s, x, j) => s + x * (p[j] - mean[j]), 0)))
  return { mean, components, projected }
}
