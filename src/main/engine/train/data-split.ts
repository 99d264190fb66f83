/**
 * The train/validation split and the per-epoch order are pure functions of seeds, so a resumed run
 * sees exactly the batches the uninterrupted run would have seen without storing any order; where
 * in that order it is, a checkpoint keeps as the count of images seen.
 */
import { stepsPerEpoch, type RunShape } from '../../../shared/run-length'
import { Rng } from '../random/rng'
import type { Checkpoint } from '../project/checkpoint-manifest'

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

/**
 * Images a checkpoint's run had seen. Checkpoints from before this was kept counted steps only:
 * their position follows from the step at this batch size, as it did when they were written.
 */
export function imagesSeenOf(checkpoint: Pick<Checkpoint, 'step' | 'imagesSeen'>, shape: RunShape): number {
  if (checkpoint.imagesSeen !== undefined) return checkpoint.imagesSeen
  const perEpoch = stepsPerEpoch(shape)
  return Math.floor(checkpoint.step / perEpoch) * shape.trainImages + (checkpoint.step % perEpoch) * shape.batchSize
}
