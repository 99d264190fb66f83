/**
 * The Fréchet distance's sample-size bias removed by extrapolation (Chong & Forsyth, "Effectively
 * Unbiased FID and Inception Score and where to find them", 2020): FD computed from N samples is
 * very nearly linear in 1/N, so fitting FD(N) at several N and reading the line at 1/N = 0 gives
 * the distance an infinite sample would show. With 128-d embeddings and a few hundred samples the
 * bias is a sizeable part of the figure, and it is larger for more diverse sample sets.
 */
import { Rng } from '../../../src/main/engine/random/rng'
import { frechetDistance, type FrechetStats } from '../../../src/main/engine/quality/frechet-distance'
import type { Rows } from '../../../src/main/engine/quality/linalg'

export interface FrechetInfinity {
  /** The extrapolated distance at 1/N = 0. */
  frechet: number
  /** Slope of FD against 1/N: the bias is slope / N. */
  slope: number
  points: { n: number; frechet: number }[]
}

/** Fits FD(N) = frechet + slope / N over random subsets of `samples` of each size (default 5 sizes up to all). */
export function frechetInfinity(
  samples: Rows,
  reference: Rows | FrechetStats,
  options: { sizes?: number[]; repeats?: number; seed?: number } = {}
): FrechetInfinity {
  const total = samples.length
  const sizes = options.sizes ?? [0.25, 0.375, 0.5, 0.75, 1].map((f) => Math.floor(total * f))
  const repeats = options.repeats ?? 2
  const rng = new Rng(options.seed ?? 0)
  const points = sizes.map((n) => {
    if (n < 2 || n > total) throw new Error(`cannot take ${n} of ${total} samples`)
    const runs = n === total ? 1 : repeats
    let sum = 0
    for (let r = 0; r < runs; r++) sum += frechetDistance(reference, rng.shuffle([...samples]).slice(0, n))
    return { n, frechet: sum / runs }
  })
  const xs = points.map((p) => 1 / p.n)
  const ys = points.map((p) => p.frechet)
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let sxy = 0
  let sxx = 0
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my)
    sxx += (x - mx) ** 2
  })
  const slope = sxx === 0 ? 0 : sxy / sxx
  return { frechet: my - slope * mx, slope, points }
}
