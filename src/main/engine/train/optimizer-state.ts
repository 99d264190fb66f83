/**
 * Adam's moments and step count, in and out of checkpoints: without them a resumed run would
 * restart Adam cold and not take the steps the uninterrupted run would have taken.
 */
import * as tf from '../tf'
import type { Checkpoint } from '../project/checkpoint-manifest'
import { adamScalarsAfter } from './parallel/adam'

/** Copies `optimizer`'s state out as plain arrays. */
export async function optimizerState(optimizer: tf.Optimizer): Promise<Checkpoint['optimizer']> {
  const weights = await optimizer.getWeights()
  const tensors = weights.map((w) => ({ name: w.name, shape: [...w.tensor.shape], data: Float32Array.from(w.tensor.dataSync()) }))
  const iterations = weights.find((w) => w.name === 'iter')?.tensor.dataSync()[0] ?? 0
  // getWeights hands out Adam's live slot variables; only the iteration count is a fresh tensor.
  tf.dispose(weights.filter((w) => w.name === 'iter').map((w) => w.tensor))
  return { name: 'adam', iterations, tensors }
}

/** The parts of tfjs's `AdamOptimizer` that setWeights leaves as it should not (tfjs 4.22). */
interface AdamInternals {
  beta1: number
  beta2: number
  accBeta1: tf.Variable
  accBeta2: tf.Variable
}

/**
 * Loads `state` into `optimizer`, which must be fresh: Adam's setWeights creates new slot
 * variables without freeing the ones a used optimizer already holds. Adam's accumulated β powers
 * are then set as the steps accumulated them: setWeights rebuilds them as pow(β, n + 1), which
 * is not always the same float32, and the resumed run would drift from the one that never stopped.
 */
export async function loadOptimizerState(optimizer: tf.Optimizer, state: Checkpoint['optimizer']): Promise<void> {
  const named = state.tensors.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape) }))
  // setWeights copies into its own variables; the inputs stay ours to free.
  await optimizer.setWeights(named)
  tf.dispose(named.map((n) => n.tensor))
  const adam = optimizer as unknown as Partial<AdamInternals>
  if (
    !(adam.accBeta1 instanceof tf.Variable) ||
    !(adam.accBeta2 instanceof tf.Variable) ||
    adam.beta1 === undefined ||
    adam.beta2 === undefined
  )
    throw new Error('this optimizer does not keep Adam’s accumulated powers where tfjs 4.22 does: its state cannot be restored exactly')
  const { accBeta1, accBeta2 } = adamScalarsAfter(state.iterations, { beta1: adam.beta1, beta2: adam.beta2 })
  tf.tidy(() => {
    adam.accBeta1!.assign(tf.scalar(accBeta1))
    adam.accBeta2!.assign(tf.scalar(accBeta2))
  })
}
