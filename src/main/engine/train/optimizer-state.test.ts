import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { useWasm } from '../../../../test/support/small-setup'
import { loadOptimizerState, optimizerState } from './optimizer-state'
import { adamScalarsAfter } from './parallel/adam'

beforeAll(useWasm)

/** A step's gradient for two small variables, different every step. */
function gradient(step: number, names: string[]): Record<string, tf.Tensor> {
  return Object.fromEntries(
    names.map((name, k) => [name, tf.tensor1d(Array.from({ length: 5 }, (_, i) => Math.sin(step * 1.7 + i + 3 * k)))])
  )
}

describe('Adam state in and out of checkpoints', () => {
  it('keeps the accumulated β powers as the steps accumulated them (tfjs rebuilds them with pow, which differs)', async () => {
    const optimizer: tf.Optimizer = tf.train.adam(1e-2)
    const w = tf.variable(tf.zeros([5]), true, 'powers/w')
    const differs: number[] = []
    for (let n = 1; n <= 60; n++) {
      const g = gradient(n, [w.name])
      optimizer.applyGradients(g)
      tf.dispose(g)
      const internal = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable }
      const ours = adamScalarsAfter(n, { beta1: 0.9, beta2: 0.999 })
      expect([internal.accBeta1.dataSync()[0], internal.accBeta2.dataSync()[0]], `step ${n}`).toEqual([ours.accBeta1, ours.accBeta2])
      const pow = tf.tidy(() => [tf.pow(0.9, n + 1).dataSync()[0], tf.pow(0.999, n + 1).dataSync()[0]])
      if (pow[0] !== ours.accBeta1 || pow[1] !== ours.accBeta2) differs.push(n)
    }
    // Why it matters: at these step counts tfjs's own reload would not be the run that went on.
    expect(differs.length).toBeGreaterThan(0)
    optimizer.dispose()
    w.dispose()
  })

  it('restores an optimizer after any of its first 60 steps so that its next step is bit for bit the uninterrupted one', async () => {
    const names = ['resume/a', 'resume/b']
    const weights = names.map((name, k) => tf.variable(tf.randomNormal([5], 0, 1, 'float32', k + 1), true, name))
    const optimizer: tf.Optimizer = tf.train.adam(1e-2)
    const before = tf.memory().numTensors
    const diverged: number[] = []
    let resumedNext: Float32Array[] | null = null
    for (let n = 1; n <= 60; n++) {
      const g = gradient(n, names)
      optimizer.applyGradients(g)
      tf.dispose(g)
      // The uninterrupted step n against the step a copy resumed after n − 1 took.
      if (resumedNext && weights.some((w, k) => !sameBits(w.dataSync() as Float32Array, resumedNext![k]))) diverged.push(n - 1)
      // Saved now, loaded into a fresh optimizer beside copies of the weights, which step once.
      const saved = await optimizerState(optimizer)
      const copies = weights.map((w, k) => tf.tidy(() => tf.variable(w.clone(), true, `${names[k]}-resumed`)))
      const resumed: tf.Optimizer = tf.train.adam(1e-2)
      await loadOptimizerState(resumed, saved)
      const next = gradient(n + 1, names)
      resumed.applyGradients(Object.fromEntries(copies.map((c, k) => [c.name, next[names[k]]])))
      resumedNext = copies.map((c) => Float32Array.from(c.dataSync()))
      tf.dispose([...Object.values(next), ...copies])
      resumed.dispose()
    }
    expect(diverged).toEqual([])
    optimizer.dispose()
    tf.dispose(weights)
    // Only the weights and the optimizer's own scalars, counted before, are gone.
    expect(tf.memory().numTensors).toBe(before - weights.length - 2)
  })
})

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}
