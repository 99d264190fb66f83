/**
 * Kernel (Inception-style) distance, KID: the unbiased estimate of the squared maximum mean
 * discrepancy with the cubic polynomial kernel k(x, y) = (xᵀy / d + 1)³ (Bińkowski et al. 2018).
 * Unlike the Fréchet distance it has no sample-size bias, so it can be compared across set sizes,
 * and it is ≈ 0 (it can dip below) when both sets come from the same distribution.
 */
import type { Rows } from './linalg'
import { Rng } from '../random/rng'

export interface KernelDistance {
  /** Mean of the MMD² estimates over the subsets. */
  mean: number
  /** Their standard deviation (0 with a single subset). */
  std: number
  subsets: number
  subsetSize: number
}

export interface KernelDistanceOptions {
  /** How many random subset pairs to average over (default 100). */
  subsets?: number
  /** Rows per subset (default 1000, capped at the smaller set). */
  subsetSize?: number
  seed?: number
}

export function kernelDistance(a: Rows, b: Rows, options: KernelDistanceOptions = {}): KernelDistance {
  const dim = a[0]?.length ?? 0
  if (a.length < 2 || b.length < 2) throw new Error('the kernel distance needs at least 2 rows in each set')
  if ((b[0]?.length ?? 0) !== dim) throw new Error(`embeddings differ in length (${dim} and ${b[0]?.length})`)
  const size = Math.min(options.subsetSize ?? 1000, a.length, b.length)
  // Subsets of the whole of both sets would all be the same: one unbiased estimate on all rows.
  if (size >= a.length && size >= b.length) return { mean: mmdUnbiased(a, b, dim), std: 0, subsets: 1, subsetSize: size }
  const subsets = options.subsets ?? 100
  const rng = new Rng(options.seed ?? 0)
  const estimates: number[] = []
  for (let s = 0; s < subsets; s++) estimates.push(mmdUnbiased(pick(a, size, rng), pick(b, size, rng), dim))
  const mean = estimates.reduce((x, y) => x + y, 0) / subsets
  const std = Math.sqrt(estimates.reduce((x, y) => x + (y - mean) ** 2, 0) / subsets)
  return { mean, std, subsets, subsetSize: size }
}

/** MMD²ᵤ = mean k(x,x′) over x≠x′ + mean k(y,y′) over y≠y′ − 2·mean k(x,y). */
export function mmdUnbiased(a: Rows, b: Rows, dim = a[0]?.length ?? 0): number {
  const kernel = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
    let dot = 0
    for (let i = 0; i < dim; i++) dot += x[i] * y[i]
    return (dot / dim + 1) ** 3
  }
  const within = (rows: Rows): number => {
    let sum = 0
    for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) sum += kernel(rows[i], rows[j])
    return (2 * sum) / (rows.length * (rows.length - 1))
  }
  let cross = 0
  for (const x of a) for (const y of b) cross += kernel(x, y)
  return within(a) + within(b) - (2 * cross) / (a.length * b.length)
}

/** `count` distinct rows chosen at random (partial Fisher–Yates). */
function pick(rows: Rows, count: number, rng: Rng): ArrayLike<number>[] {
  const order = Array.from({ length: rows.length }, (_, i) => i)
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(rows.length - i)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order.slice(0, count).map((i) => rows[i])
}
