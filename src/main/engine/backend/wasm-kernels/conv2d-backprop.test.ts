import { describe, expect, it } from 'vitest'
import * as tf from '../../tf'
import { randomHost, relativeErrorVsCpu, wasmFootprint } from './compare-with-cpu'
import { selectBackend } from '../select-backend'

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]]

interface Case {
  x: [number, number, number, number]
  filter: [number, number, number, number]
  strides: number | [number, number]
  pad: Pad
}

const cases: Case[] = [
  { x: [1, 8, 8, 3], filter: [4, 4, 3, 5], strides: 2, pad: 'same' },
  { x: [2, 7, 9, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'same' },
  { x: [3, 9, 6, 2], filter: [3, 2, 2, 4], strides: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], filter: [4, 4, 3, 2], strides: 2, pad: 'valid' },
  { x: [2, 6, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 10, 11, 3], filter: [3, 3, 3, 2], strides: 2, pad: 1 },
  { x: [1, 5, 5, 2], filter: [1, 1, 2, 3], strides: 2, pad: 'same' },
  { x: [2, 8, 7, 3], filter: [3, 3, 3, 2], strides: [2, 1], pad: 'same' },
  {
    x: [1, 9, 8, 2],
    filter: [3, 4, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0]
    ]
  },
  // 16 channels and up: the phases are interleaved with block copies instead of an element loop.
  { x: [2, 8, 6, 20], filter: [3, 3, 20, 6], strides: 2, pad: 'same' }
]

function outShape(c: Case): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape
}

const name = (c: Case) => `x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`

describe('Conv2DBackpropInput and Conv2DBackpropFilter on wasm', () => {
  it.each(cases)('match the cpu backend: $x $filter $strides $pad', async (c) => {
    const inputs = [randomHost(c.x, 1), randomHost(c.filter, 2), randomHost(outShape(c), 3)]
    // A random upstream gradient (r) so dy is not uniform.
    const gradients = (x: tf.Tensor, w: tf.Tensor, r: tf.Tensor) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)))([x, w])
    expect(await relativeErrorVsCpu(inputs, gradients), name(c)).toBeLessThan(1e-4)
  })

  it.each([
    { dy: [1, 4, 4, 16], filter: [4, 4, 8, 16], out: [1, 8, 8, 8] },
    { dy: [3, 5, 5, 6], filter: [3, 3, 3, 6], out: [3, 10, 10, 3] },
    { dy: [2, 4, 3, 4], filter: [4, 4, 5, 4], out: [2, 8, 6, 5] },
    { dy: [2, 4, 4, 8], filter: [3, 3, 24, 8], out: [2, 8, 8, 24] }
  ])('serves conv2dTranspose (the decoder) like the cpu backend: $dy → $out', async ({ dy, filter, out }) => {
    const transposed = (y: tf.Tensor, w: tf.Tensor) =>
      tf.conv2dTranspose(y as tf.Tensor4D, w as tf.Tensor4D, out as [number, number, number, number], 2, 'same')
    expect(await relativeErrorVsCpu([randomHost(dy, 4), randomHost(filter, 5)], transposed)).toBeLessThan(1e-4)
  })

  it('sums the filter gradient over batch slices when one patch matrix would be too large', async () => {
    await selectBackend('wasm')
    // 80 images of this shape need a 10.5 M-element patch matrix, above the 8 M per GEMM.
    const [full, halves] = tf.tidy(() => {
      const x = tf.randomUniform([80, 64, 64, 8], -1, 1)
      const dy = tf.randomUniform([80, 32, 32, 4], -1, 1)
      const dW = (a: tf.Tensor, b: tf.Tensor) =>
        tf
          .engine()
          .runKernel(
            tf.Conv2DBackpropFilter,
            { x: a, dy: b },
            { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 8, 4] }
          ) as tf.Tensor
      const half = (t: tf.Tensor, i: number) => tf.slice(t, [i * 40], [40])
      return [dW(x, dy).dataSync(), tf.add(dW(half(x, 0), half(dy, 0)), dW(half(x, 1), half(dy, 1))).dataSync()]
    })
    const scale = Math.max(...Array.from(halves, Math.abs))
    expect(Math.max(...Array.from(full, (v, i) => Math.abs(v - halves[i])))).toBeLessThan(1e-5 * scale)
  })

  it('leaves no tensors or wasm buffers behind', async () => {
    await selectBackend('wasm')
    const before = wasmFootprint()
    for (const c of cases) {
      tf.tidy(() => {
        const x = tf.randomUniform(c.x)
        const w = tf.randomUniform(c.filter)
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad)))([
          x,
          w
        ])
        dx.dataSync()
        dw.dataSync()
      })
    }
    expect(wasmFootprint()).toEqual(before)
  })
})
