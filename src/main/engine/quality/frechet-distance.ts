/**
 * Fréchet distance between two sets of embeddings, each summarised as a Gaussian (the FID recipe,
 * here in a face-embedding space):
 *
 *   FD = ‖m₁ − m₂‖² + tr C₁ + tr C₂ − 2 tr √(C₁C₂)
 *
 * tr √(C₁C₂) is the sum of the square roots of the eigenvalues of C₁C₂, which are real and
 * non-negative because C₁C₂ is similar to the symmetric PSD matrix √C₁·C₂·√C₁. Computing them
 * from that symmetric matrix (two Jacobi decompositions) cannot go negative or complex, unlike an
 * iterative matrix square root of the non-symmetric product on nearly singular covariances.
 *
 * The estimate is biased upwards by roughly a/N for N samples: compare sets of the same size.
 */
import { gaussianStats, matMul, sqrtPsd, symmetricEigen, trace, type GaussianStats, type Rows } from './linalg'

/** A set's Gaussian summary, with √C cached so a fixed reference set is decomposed once. */
export interface FrechetStats extends GaussianStats {
  sqrtCov?: Float64Array
}

export function frechetStats(rows: Rows): FrechetStats {
  return gaussianStats(rows)
}

export function frechetDistance(a: Rows | FrechetStats, b: Rows | FrechetStats): number {
  const sa = isStats(a) ? a : frechetStats(a)
  const sb = isStats(b) ? b : frechetStats(b)
  if (sa.dim !== sb.dim) throw new Error(`embeddings differ in length (${sa.dim} and ${sb.dim})`)
  const n = sa.dim
  let meanTerm = 0
  for (let i = 0; i < n; i++) meanTerm += (sa.mean[i] - sb.mean[i]) ** 2
  sa.sqrtCov ??= sqrtPsd(sa.cov, n)
  const inner = matMul(matMul(sa.sqrtCov, sb.cov, n), sa.sqrtCov, n)
  // Exactly symmetric again (rounding in the products leaves ~1e-17 asymmetry).
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (inner[i * n + j] + inner[j * n + i]) / 2
      inner[i * n + j] = v
      inner[j * n + i] = v
    }
  }
  let traceSqrt = 0
  for (const value of symmetricEigen(inner, n).values) traceSqrt += Math.sqrt(Math.max(0, value))
  return Math.max(0, meanTerm + trace(sa.cov, n) + trace(sb.cov, n) - 2 * traceSqrt)
}

function isStats(x: Rows | FrechetStats): x is FrechetStats {
  return !Array.isArray(x) && (x as FrechetStats).cov instanceof Float64Array
}
