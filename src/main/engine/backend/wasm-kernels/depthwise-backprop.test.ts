import { describe, expect, it } from 'vitest'
import * as tf from '../../tf'
import { randomHost, relativeErrorVsCpu, wasmFootprint } from './compare-with-cpu'
import { selectBackend } from '../select-backend'

interface Case {
  x: [number, number, number, number]
  filter: [number, number, number, number]
  strides: number
  pad: 'same' | 'valid'
  dilations: number
}

const cases: Case[] = [
  { x: [1, 8, 8, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same', dilations: 1 },
  { x: [2, 9, 7, 4], filter: [3, 3, 4, 2], strides: 2, pad: 'same', dilations: 1 },
  { x: [2, 9, 9, 2], filter: [4, 4, 2, 1], strides: 2, pad: 'valid', dilations: 1 },
  { x: [3, 6, 7, 3], filter: [2, 3, 3, 3], strides: 1, pad: 'valid', dilations: 1 }
]

/**
 * tf.grads refuses dilated depthwise convolutions and the cpu backend's kernels ignore dilation,
 * but ours serve it (at stride 1). The reference is the gradient of the undilated convolution
 * whose filter is spread out with zeros, which is the same function.
 */
const dilated: Case[] = [
  { x: [1, 10, 9, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same', dilations: 2 },
  { x: [2, 11, 11, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'valid', dilations: 3 }
]

function outShape(c: Case): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, true).outShape
}

/** The filter [kh, kw, c, m] with dilation − 1 zeros between taps, as a differentiable product. */
function spread(w: tf.Tensor, dilation: number): tf.Tensor4D {
  const [kh, kw, c, m] = w.shape
  const sh = (kh - 1) * dilation + 1
  const sw = (kw - 1) * dilation + 1
  const placement = new Float32Array(sh * sw * kh * kw)
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) placement[(i * dilation * sw + j * dilation) * kh * kw + i * kw + j] = 1
  }
  const spreadTaps = tf.matMul(tf.tensor2d(placement, [sh * sw, kh * kw]), tf.reshape(w, [kh * kw, c * m]))
  return tf.reshape(spreadTaps, [sh, sw, c, m])
}

describe('DepthwiseConv2dNativeBackpropInput and …BackpropFilter on wasm', () => {
  it.each(cases)('match the cpu backend: $x $filter strides $strides $pad dilations $dilations', async (c) => {
    const inputs = [randomHost(c.x, 7), randomHost(c.filter, 8), randomHost(outShape(c), 9)]
    const gradients = (x: tf.Tensor, w: tf.Tensor, r: tf.Tensor) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations), r))
      )([x, w])
    expect(await relativeErrorVsCpu(inputs, gradients)).toBeLessThan(1e-4)
  })

  it.each(dilated)('match the cpu backend when dilated: $x $filter $pad dilations $dilations', async (c) => {
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations }
    const kernels = (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => {
      if (tf.getBackend() === 'cpu') {
        return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, spread(b, c.dilations), c.strides, c.pad), dy))
        )([x, w])
      }
      return [
        tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: w }, { ...attrs, inputShape: c.x }) as tf.Tensor,
        tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: c.filter }) as tf.Tensor
      ]
    }
    const inputs = [randomHost(c.x, 10), randomHost(c.filter, 11), randomHost(outShape(c), 12)]
    expect(await relativeErrorVsCpu(inputs, kernels)).toBeLessThan(1e-4)
  })

  it('leaves no tensors or wasm buffers behind', async () => {
    await selectBackend('wasm')
    const before = wasmFootprint()
    for (const c of cases) {
      tf.tidy(() => {
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations))
        )([tf.randomUniform(c.x), tf.randomUniform(c.filter)])
        dx.dataSync()
        dw.dataSync()
      })
    }
    for (const c of dilated) {
      tf.tidy(() => {
        const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations }
        const dy = tf.randomUniform(outShape(c))
        tf.engine().runKernel(
          tf.DepthwiseConv2dNativeBackpropInput,
          { dy, filter: tf.randomUniform(c.filter) },
          { ...attrs, inputShape: c.x }
        )
        tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: tf.randomUniform(c.x), dy }, { ...attrs, filterShape: c.filter })
      })
    }
    expect(wasmFootprint()).toEqual(before)
  })
})
