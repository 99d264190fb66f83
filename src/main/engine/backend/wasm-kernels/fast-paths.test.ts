import { describe, expect, it } from 'vitest'
import * as tf from '../../tf'
import { randomHost, relativeErrorVsCpu, wasmFootprint } from './compare-with-cpu'
import { selectBackend } from '../select-backend'

describe('wasm kernels replaced for speed give the cpu backend’s results', () => {
  it.each([
    { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
    { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
    { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
    { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
    { a: [2, 6, 4], b: [2, 6, 3], transposeA: true, transposeB: false },
    { a: [1, 4], b: [9, 4], transposeA: false, transposeB: true }
  ])('BatchMatMul $a × $b (transposeA $transposeA, transposeB $transposeB)', async ({ a, b, transposeA, transposeB }) => {
    const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, transposeA, transposeB)
    expect(await relativeErrorVsCpu([randomHost(a, 1), randomHost(b, 2)], product)).toBeLessThan(1e-5)
  })

  it('LeakyRelu with its gradient, whose mask comes from Greater', async () => {
    const leaky = (x: tf.Tensor, r: tf.Tensor) => {
      const y = tf.leakyRelu(x, 0.3)
      return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(a, 0.3), r)))(x)]
    }
    expect(await relativeErrorVsCpu([randomHost([3, 5, 4, 2], 3), randomHost([3, 5, 4, 2], 4)], leaky)).toBeLessThan(1e-6)
  })

  it.each([
    { a: [4, 6], b: [] },
    { a: [4, 6], b: [4, 6] },
    { a: [4, 6], b: [6] },
    { a: [6], b: [1, 1] }
  ])('Greater $a > $b', async ({ a, b }) => {
    const greater = (x: tf.Tensor, y: tf.Tensor) => tf.cast(tf.greater(x, y), 'float32')
    expect(await relativeErrorVsCpu([randomHost(a, 5), randomHost(b, 6)], greater)).toBe(0)
  })

  it.each([
    { shape: [4, 3, 5, 6], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 3, 5, 6], axis: [2, 1, 0], keepDims: true },
    { shape: [4, 3, 5, 6], axis: 0, keepDims: false },
    { shape: [4, 3, 5, 6], axis: [1, 2], keepDims: false },
    { shape: [4, 3, 5, 6], axis: -1, keepDims: false },
    { shape: [7, 9], axis: null, keepDims: false }
  ])('Sum of $shape over $axis (keepDims $keepDims)', async ({ shape, axis, keepDims }) => {
    const sum = (x: tf.Tensor) => tf.sum(x, axis ?? undefined, keepDims)
    expect(await relativeErrorVsCpu([randomHost(shape, 10)], sum)).toBeLessThan(1e-6)
  })

  it('leave no tensors or wasm buffers behind', async () => {
    await selectBackend('wasm')
    const before = wasmFootprint()
    tf.tidy(() => {
      const x = tf.randomUniform([6, 4, 4, 3], -1, 1)
      tf.matMul(tf.reshape(x, [6, 48]), tf.reshape(x, [6, 48]), true, false).dataSync()
      tf.grad((a: tf.Tensor) => tf.sum(tf.leakyRelu(a, 0.2)))(x).dataSync()
      tf.sum(x, [0, 1, 2]).dataSync()
    })
    expect(wasmFootprint()).toEqual(before)
  })
})
