import { describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { selectBackend } from './select-backend'

function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node')
    return true
  } catch {
    return false
  }
}

describe('selectBackend', () => {
  it('picks the fastest backend that loads and lists what else would', async () => {
    const { name, available } = await selectBackend()
    expect(tf.getBackend()).toBe(name)
    expect(available[0]).toBe(name)
    expect(available).toContain('cpu')
    expect(available).toContain('wasm')
    expect(available.includes('tensorflow')).toBe(tfjsNodeInstalled())
  })

  it.skipIf(tfjsNodeInstalled())('falls through cleanly when tfjs-node is absent', async () => {
    expect((await selectBackend('auto')).name).toBe('wasm')
    await expect(selectBackend('tensorflow')).rejects.toThrow(/'tensorflow' backend is not available.*available: wasm, cpu/)
  })

  it('honours an explicit choice', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu')
    expect((await selectBackend('wasm')).name).toBe('wasm')
  })

  it('installs the missing gradient kernels on wasm, so convolutions train there', async () => {
    await selectBackend('wasm')
    for (const kernel of [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput]) {
      expect(tf.getKernel(kernel, 'wasm'), kernel).toBeDefined()
    }
    const grad = tf.tidy(() => {
      const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D
      return tf
        .grad((w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid')))(tf.ones([3, 3, 1, 1]))
        .dataSync()
    })
    expect(Array.from(grad)).toEqual(new Array(9).fill(4))
  })
})
