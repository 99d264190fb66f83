/**
 * The little dense linear algebra the quality metrics and the mixture fit need, on Float64Array
 * square matrices (row-major, n×n). Dimensions here are small (latent codes ≤ 256, face
 * embeddings 128), so plain TypeScript is exact enough and fast enough, and needs no dependency.
 */

/** Rows of equal length: embeddings (Float32Array) or codes (number[]). */
export type Rows = readonly ArrayLike<number>[]

/** Mean and unbiased (n − 1) covariance of a set of rows, as numpy's `np.cov` computes it. */
export interface GaussianStats {
  dim: number
  count: number
  mean: Float64Array
  cov: Float64Array
}

export function gaussianStats(rows: Rows): GaussianStats {
  const count = rows.length
  const dim = rows[0]?.length ?? 0
  if (count < 2 || dim === 0) throw new Error(`need at least 2 non-empty rows to estimate a covariance, got ${count}`)
  const mean = new Float64Array(dim)
  for (const row of rows) {
    if (row.length !== dim) throw new Error(`rows differ in length (${row.length} and ${dim})`)
    for (let j = 0; j < dim; j++) mean[j] += row[j] / count
  }
  const cov = new Float64Array(dim * dim)
  const centred = new Float64Array(dim)
  for (const row of rows) {
    for (let j = 0; j < dim; j++) centred[j] = row[j] - mean[j]
    for (let a = 0; a < dim; a++) {
      const ca = centred[a]
      const base = a * dim
      for (let b = a; b < dim; b++) cov[base + b] += ca * centred[b]
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = cov[a * dim + b] / (count - 1)
      cov[a * dim + b] = v
      cov[b * dim + a] = v
    }
  }
  return { dim, count, mean, cov }
}

export function trace(a: Float64Array, n: number): number {
  let t = 0
  for (let i = 0; i < n; i++) t += a[i * n + i]
  return t
}

/** C = A·B for n×n matrices. */
export function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]
      if (aik === 0) continue
      const bk = k * n
      const ci = i * n
      for (let j = 0; j < n; j++) c[ci + j] += aik * b[bk + j]
    }
  }
  return c
}

export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array
  /** Eigenvectors as columns (n×n row-major: vector k is column k), in the order of `values`. */
  vectors: Float64Array
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations. Slower than
 * tridiagonalisation + QL but simple, unconditionally stable and accurate to machine precision
 * for the small matrices here (a 128×128 covariance takes tens of milliseconds).
 */
export function symmetricEigen(matrix: Float64Array, n: number, maxSweeps = 100): Eigen {
  const a = Float64Array.from(matrix)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  let scale = 0
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i]
  const tolerance = 1e-30 * scale
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q]
    if (off <= tolerance || off === 0) break
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]
        if (apq === 0) continue
        // Negligible beside both diagonal entries: rotating would only stir rounding noise.
        const tiny = Math.abs(apq) * 1e17
        if (tiny <= Math.abs(a[p * n + p]) && tiny <= Math.abs(a[q * n + q])) {
          a[p * n + q] = 0
          a[q * n + p] = 0
          continue
        }
        // Golub & Van Loan's symmetric Schur 2×2 rotation: zeroes a[p][q], the smaller angle.
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq)
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau))
        const c = 1 / Math.sqrt(1 + t * t)
        const s = t * c
        rotate(a, v, n, p, q, c, s)
      }
    }
  }
  const values = new Float64Array(n)
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[y] - values[x])
  const sortedValues = Float64Array.from(order, (i) => values[i])
  const sortedVectors = new Float64Array(n * n)
  for (let row = 0; row < n; row++) order.forEach((from, to) => (sortedVectors[row * n + to] = v[row * n + from]))
  return { values: sortedValues, vectors: sortedVectors }
}

/** A ← Jᵀ A J and V ← V J for the rotation J in the (p, q) plane. */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p]
    const akq = a[k * n + q]
    a[k * n + p] = c * akp - s * akq
    a[k * n + q] = s * akp + c * akq
  }
  const rp = p * n
  const rq = q * n
  for (let k = 0; k < n; k++) {
    const apk = a[rp + k]
    const aqk = a[rq + k]
    a[rp + k] = c * apk - s * aqk
    a[rq + k] = s * apk + c * aqk
  }
  a[rp + q] = 0
  a[rq + p] = 0
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p]
    const vkq = v[k * n + q]
    v[k * n + p] = c * vkp - s * vkq
    v[k * n + q] = s * vkp + c * vkq
  }
}

/** The symmetric square root V·√Λ·Vᵀ of a positive semi-definite matrix (negative rounding clamped to 0). */
export function sqrtPsd(matrix: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n)
  const out = new Float64Array(n * n)
  for (let k = 0; k < n; k++) {
    const root = Math.sqrt(Math.max(0, values[k]))
    if (root === 0) continue
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k] * root
      if (vik === 0) continue
      for (let j = 0; j < n; j++) out[i * n + j] += vik * vectors[j * n + k]
    }
  }
  return out
}

/**
 * Lower-triangular L with L·Lᵀ = A, or null when A is not (numerically) positive definite.
 */
export function cholesky(matrix: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j]
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k]
      if (i === j) {
        if (!(sum > 0)) return null
        l[i * n + i] = Math.sqrt(sum)
      } else {
        l[i * n + j] = sum / l[j * n + j]
      }
    }
  }
  return l
}

/** Solves L·y = b for lower-triangular L (forward substitution) into `out`. */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let sum = b[i]
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * out[k]
    out[i] = sum / l[i * n + i]
  }
  return out
}
