/**
 * The train/validation split and the per-epoch order are pure functions of seeds, so a resumed run
 * sees exactly the batches the uninterrupted run would have seen without storing any order.
 */
import { Rng } from '../random/rng'

export interface DataSplit {
  train: number[]
  val: number[]
}

export function splitIndices(count: number, valFraction: number, seed: number): DataSplit {
  const order = new Rng(seed).shuffle(Array.from({ length: count }, (_, i) => i))
  const nVal = valFraction > 0 ? Math.max(1, Math.floor(count * valFraction)) : 0
  if (count - nVal < 1)
    throw new Error(`the dataset has ${count} image(s): too few to hold out ${Math.round(valFraction * 100)}% for validation`)
  return { val: order.slice(0, nVal).sort((a, b) => a - b), train: order.slice(nVal) }
}

/** The order in which `train` is visited during `epoch` (0-based). */
export function epochOrder(train: readonly number[], seed: number, epoch: number): number[] {
  return new Rng((seed * 1_000_003 + epoch * 7919 + 17) >>> 0).shuffle([...train])
}

/** Batches per epoch; the last partial batch is kept so small datasets use every image. */
export function stepsPerEpoch(trainCount: number, batchSize: number): number {
  return Math.ceil(trainCount / batchSize)
}
