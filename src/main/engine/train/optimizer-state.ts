/**
 * Adam's moments and step count, in and out of checkpoints: without them a resumed run would
 * restart Adam cold and not take the steps the uninterrupted run would have taken.
 */
import * as tf from '../tf'
import type { Checkpoint } from '../project/checkpoint-manifest'

/** Copies `optimizer`'s state out as plain arrays. */
export async function optimizerState(optimizer: tf.Optimizer): Promise<Checkpoint['optimizer']> {
  const weights = await optimizer.getWeights()
  const tensors = weights.map((w) => ({ name: w.name, shape: [...w.tensor.shape], data: Float32Array.from(w.tensor.dataSync()) }))
  const iterations = weights.find((w) => w.name === 'iter')?.tensor.dataSync()[0] ?? 0
  // getWeights hands out Adam's live slot variables; only the iteration count is a fresh tensor.
  tf.dispose(weights.filter((w) => w.name === 'iter').map((w) => w.tensor))
  return { name: 'adam', iterations, tensors }
}

/**
 * Loads `state` into `optimizer`, which must be fresh: Adam's setWeights creates new slot
 * variables without freeing the ones a used optimizer already holds.
 */
export async function loadOptimizerState(optimizer: tf.Optimizer, state: Checkpoint['optimizer']): Promise<void> {
  const named = state.tensors.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape) }))
  // setWeights copies into its own variables; the inputs stay ours to free.
  await optimizer.setWeights(named)
  tf.dispose(named.map((n) => n.tensor))
}
