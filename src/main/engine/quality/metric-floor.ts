/**
 * The floor of a set metric: the distance between two random halves of the real faces. No
 * generator can be expected to beat it at that set size (Fréchet distance is biased upwards for
 * small sets), so it is what a figure should be read against, not zero.
 */
import { frechetDistance } from './frechet-distance'
import { kernelDistance } from './kernel-distance'
import type { Rows } from './linalg'
import { Rng } from '../random/rng'

export interface MetricFloor {
  frechet: number
  kid: number
  /** Rows in each half. */
  half: number
}

/** The rows shuffled with `seed` and cut in two equal halves (an odd row out is dropped). */
export function splitHalves<T>(rows: readonly T[], seed: number): [T[], T[]] {
  const shuffled = new Rng(seed).shuffle([...rows])
  const half = Math.floor(shuffled.length / 2)
  return [shuffled.slice(0, half), shuffled.slice(half, 2 * half)]
}

export function metricFloor(rows: Rows, seed = 0): MetricFloor {
  const [a, b] = splitHalves(rows, seed)
  return { frechet: frechetDistance(a, b), kid: kernelDistance(a, b, { seed }).mean, half: a.length }
}
