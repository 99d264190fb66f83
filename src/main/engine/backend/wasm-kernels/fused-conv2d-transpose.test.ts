import { describe, expect, it } from 'vitest'
import * as tf from '../../tf'
import { randomHost, relativeErrorVsCpu, wasmFootprint } from './compare-with-cpu'
import { fusedConv2dTranspose, type FusedConv2DTransposeAttrs } from './fused-conv2d-transpose'
import { selectBackend } from '../select-backend'

interface Case {
  x: [number, number, number, number]
  filter: [number, number, number, number]
  out: [number, number, number, number]
  strides: [number, number]
  pad: 'same' | 'valid'
  leakyAlpha: number | null
}

const cases: Case[] = [
  { x: [3, 4, 4, 16], filter: [3, 3, 8, 16], out: [3, 8, 8, 8], strides: [2, 2], pad: 'same', leakyAlpha: 0.2 },
  { x: [2, 4, 4, 8], filter: [3, 3, 32, 8], out: [2, 8, 8, 32], strides: [2, 2], pad: 'same', leakyAlpha: 0.2 },
  { x: [2, 5, 3, 6], filter: [4, 4, 3, 6], out: [2, 10, 6, 3], strides: [2, 2], pad: 'same', leakyAlpha: null },
  { x: [1, 4, 4, 5], filter: [3, 3, 2, 5], out: [1, 9, 9, 2], strides: [2, 2], pad: 'valid', leakyAlpha: 0.1 },
  { x: [2, 6, 6, 4], filter: [3, 3, 4, 4], out: [2, 6, 6, 4], strides: [1, 1], pad: 'same', leakyAlpha: 0.3 },
  // A 1×1 filter at stride 2 reaches only one phase: the others are the activation of the bias.
  { x: [2, 3, 3, 4], filter: [1, 1, 3, 4], out: [2, 6, 6, 3], strides: [2, 2], pad: 'same', leakyAlpha: 0.2 }
]

/** The same computation out of tfjs's own ops (on cpu: tfjs's reference kernels). */
function composite(c: Case, x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const y = tf.add(tf.conv2dTranspose(x as tf.Tensor4D, filter as tf.Tensor4D, c.out, c.strides, c.pad), bias)
  return c.leakyAlpha === null ? y : tf.leakyRelu(y, c.leakyAlpha)
}

const attrsOf = (c: Case): FusedConv2DTransposeAttrs => ({
  outputShape: c.out,
  strides: c.strides,
  pad: c.pad,
  activation: c.leakyAlpha === null ? 'linear' : 'leakyrelu',
  leakyreluAlpha: c.leakyAlpha ?? 0
})

const name = (c: Case) => `x ${c.x} filter ${c.filter} → ${c.out}, ${c.pad}, leaky ${c.leakyAlpha}`

describe('the fused transposed convolution (inference) on wasm', () => {
  it.each(cases)('matches conv2dTranspose + bias + LeakyReLU on the cpu backend: $x $filter $leakyAlpha', async (c) => {
    // Biases of both signs, large enough that the activation's negative side is exercised.
    const bias = randomHost([c.filter[2]], 3)
    bias.data.forEach((v, i) => (bias.data[i] = v * 4))
    const fusedOnWasm = (x: tf.Tensor, filter: tf.Tensor, b: tf.Tensor) =>
      tf.getBackend() === 'wasm'
        ? fusedConv2dTranspose(x as tf.Tensor4D, filter as tf.Tensor4D, b as tf.Tensor1D, attrsOf(c))
        : composite(c, x, filter, b)
    const error = await relativeErrorVsCpu([randomHost(c.x, 1), randomHost(c.filter, 2), bias], fusedOnWasm)
    expect(error, name(c)).toBeLessThan(1e-5)
  })

  it('leaves no tensors or wasm buffers behind', async () => {
    await selectBackend('wasm')
    const before = wasmFootprint()
    for (const c of cases) {
      tf.tidy(() => {
        fusedConv2dTranspose(tf.randomUniform(c.x), tf.randomUniform(c.filter), tf.randomUniform([c.filter[2]]), attrsOf(c)).dataSync()
      })
    }
    expect(wasmFootprint()).toEqual(before)
  })
})
