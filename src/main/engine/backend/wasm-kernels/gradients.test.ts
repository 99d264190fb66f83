import { describe, expect, it } from 'vitest'
import * as tf from '../../tf'
import { randomHost, relativeErrorVsCpu, wasmFootprint } from './compare-with-cpu'
import { selectBackend } from '../select-backend'

/** A small encoder–decoder touching every replaced kernel: strided, depthwise and transposed convolutions, dense, LeakyReLU. */
function lossOf(x: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor, dw: tf.Tensor, dense: tf.Tensor, w2: tf.Tensor): tf.Scalar {
  let h = tf.leakyRelu(tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'), b1), 0.2)
  h = tf.depthwiseConv2d(h as tf.Tensor4D, dw as tf.Tensor4D, 1, 'same')
  const [n, hh, ww, c] = h.shape
  h = tf.reshape(tf.matMul(tf.reshape(h, [n, hh * ww * c]), dense), [n, hh, ww, c])
  const logits = tf.conv2dTranspose(h as tf.Tensor4D, w2 as tf.Tensor4D, [n, hh * 2, ww * 2, 3], 2, 'same')
  return tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, tf.sigmoid(x))), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))))
}

const shapes = {
  x: [2, 10, 10, 3],
  w1: [3, 3, 3, 4],
  b1: [4],
  dw: [3, 3, 4, 2],
  dense: [5 * 5 * 8, 5 * 5 * 8],
  w2: [4, 4, 3, 8]
}

describe('training gradients on wasm', () => {
  it('match the cpu backend for a small convolutional network', async () => {
    const inputs = Object.values(shapes).map((shape, i) => randomHost(shape, 20 + i))
    const allGradients = (...t: tf.Tensor[]) => tf.grads(lossOf as (...args: tf.Tensor[]) => tf.Tensor)(t)
    expect(await relativeErrorVsCpu(inputs, allGradients)).toBeLessThan(1e-4)
  })

  it('run training steps without leaking tensors or wasm buffers', async () => {
    await selectBackend('wasm')
    const weights = Object.entries(shapes)
      .filter(([name]) => name !== 'x')
      .map(([, shape]) => tf.variable(tf.randomUniform(shape, -0.3, 0.3)))
    const x = tf.randomUniform(shapes.x)
    const optimizer = tf.train.adam(1e-3)
    const [w1, b1, dw, dense, w2] = weights
    const step = () => optimizer.minimize(() => lossOf(x, w1, b1, dw, dense, w2), false, weights)
    step()
    const before = wasmFootprint()
    for (let i = 0; i < 3; i++) step()
    expect(wasmFootprint()).toEqual(before)
    tf.dispose([x, ...weights])
    optimizer.dispose()
  })

  it('keep per-filter data for repeated inference and free it once the filter is gone', async () => {
    await selectBackend('wasm')
    const before = wasmFootprint()
    const decode = (w: tf.Tensor4D, y: tf.Tensor4D) => tf.tidy(() => tf.conv2dTranspose(y, w, [1, 8, 8, 2], 2, 'same').dataSync())
    const y = tf.randomUniform([1, 4, 4, 5]) as tf.Tensor4D
    const first = tf.randomUniform([4, 4, 2, 5]) as tf.Tensor4D
    const once = decode(first, y)
    const afterOne = tf.engine().backend.numDataIds()
    expect(decode(first, y)).toEqual(once)
    expect(tf.engine().backend.numDataIds()).toBe(afterOne)
    first.dispose()
    const second = tf.randomUniform([4, 4, 2, 5]) as tf.Tensor4D
    decode(second, y)
    // The first filter's four phase filters are gone; the second's took their place.
    expect(tf.engine().backend.numDataIds()).toBe(afterOne)
    second.dispose()
    y.dispose()
    expect(wasmFootprint()).toEqual(before)
  })
})
