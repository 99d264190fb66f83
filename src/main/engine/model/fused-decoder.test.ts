import { describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { defaultModelConfig, type ModelConfig } from '../../../shared/config'
import { selectBackend } from '../backend/select-backend'
import { clearWasmKernelCaches } from '../backend/wasm-kernels'
import { fusedConv2DTransposeKernel } from '../backend/wasm-kernels/fused-conv2d-transpose'
import { VaeModel } from './vae-model'

const configs: ModelConfig[] = [
  { ...defaultModelConfig, imageSize: 64, channels: 3, latentDim: 32, decoder: 'upsample-conv' },
  { ...defaultModelConfig, imageSize: 32, channels: 1, latentDim: 5, baseFilters: 8, decoder: 'upsample-conv' },
  { ...defaultModelConfig, imageSize: 64, channels: 3, latentDim: 32, decoder: 'transposed-3x3' },
  { ...defaultModelConfig, imageSize: 32, channels: 1, latentDim: 5, baseFilters: 8, decoder: 'transposed-3x3' },
  { ...defaultModelConfig, imageSize: 32, channels: 3, latentDim: 5, baseFilters: 8, decoder: 'upsample-conv' }
]

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync()
  const y = b.dataSync()
  expect(x.length).toBe(y.length)
  let max = 0
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]))
  return max
}

describe('decodeImages (the fused inference decoder)', () => {
  it.each(['wasm', 'cpu'] as const)('gives the layers model’s own images on %s, for one code and for a grid', async (backend) => {
    await selectBackend(backend)
    for (const config of configs) {
      const model = new VaeModel(config, 4)
      for (const n of [1, 9]) {
        tf.tidy(() => {
          const z = tf.randomNormal([n, config.latentDim], 0, 2) as tf.Tensor2D
          const reference = tf.sigmoid(model.decoder.apply(z) as tf.Tensor)
          expect(maxDifference(model.decodeImages(z), reference)).toBeLessThan(1e-5)
        })
      }
      model.dispose()
    }
  })

  it.each([configs[1], configs[3]])(
    'runs each $decoder block as one fused kernel on wasm (and the layers’ own ops elsewhere)',
    async (config) => {
      for (const backend of ['wasm', 'cpu'] as const) {
        await selectBackend(backend)
        const model = new VaeModel(config, 4)
        const z = tf.randomNormal([2, config.latentDim]) as tf.Tensor2D
        model.decodeImages(z).dispose()
        // Warm: an upsample-conv kernel is derived once, so a later decode runs no padding or sums.
        const { kernelNames } = await tf.profile(() => model.decodeImages(z))
        expect(kernelNames.includes(fusedConv2DTransposeKernel), backend).toBe(backend === 'wasm')
        expect(kernelNames.includes('LeakyRelu'), backend).toBe(backend === 'cpu')
        if (backend === 'wasm') expect(kernelNames.filter((k) => k === 'PadV2' || k === 'AddN')).toEqual([])
        z.dispose()
        model.dispose()
      }
    }
  )

  it.each([configs[1], configs[3]])('follows the weights as training changes them, and leaks nothing ($decoder)', async (config) => {
    await selectBackend('wasm')
    const model = new VaeModel(config, 4)
    const z = tf.randomNormal([4, config.latentDim]) as tf.Tensor2D
    const first = tf.keep(model.decodeImages(z))
    const other = new VaeModel(config, 9)
    model.loadWeightArrays(other.weightArrays())
    other.dispose()
    const second = model.decodeImages(z)
    expect(maxDifference(first, second)).toBeGreaterThan(1e-3)
    expect(maxDifference(second, tf.sigmoid(model.decoder.apply(z) as tf.Tensor))).toBeLessThan(1e-5)
    tf.dispose([first, second])

    clearWasmKernelCaches()
    const before = { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() }
    for (let i = 0; i < 3; i++) model.decodeImages(z).dispose()
    clearWasmKernelCaches()
    expect({ tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() }).toEqual(before)
    z.dispose()
    const beforeDispose = tf.memory().numTensors
    const weights = model.encoder.weights.length + model.decoder.weights.length
    const derived = model.decoder.layers.filter((l) => l.getClassName() === 'VaeStudioUpsampleConv2D').length
    expect(derived).toBe(config.decoder === 'upsample-conv' ? 3 : 0)
    model.dispose()
    // Disposing the model frees its weights and any kernel derived from them.
    expect(beforeDispose - tf.memory().numTensors).toBe(weights + derived)
  })
})
