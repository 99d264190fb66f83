import { afterAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { selectBackend } from '../backend/select-backend'
import { Rng } from '../random/rng'
import { defaultModelConfig, modelConfigSchema, type DecoderKind } from '../../../shared/config'
import { decodeCodes, sampleCodes } from '../inference/inference'
import { gridFigure, setSpectrum } from '../quality/spectrum'
import { UpsampleConv2D, upsampleKernel } from './upsample-conv'
import { VaeModel } from './vae-model'

function random(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed)
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1),
    shape
  )
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape)
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])
}

/** One UpsampleConv2D layer in a model, its weights set to `kernel` and `bias`. */
function upsampleModel(inShape: number[], kernel: tf.Tensor, bias: tf.Tensor): tf.layers.LayersModel {
  const input = tf.layers.input({ shape: inShape })
  const layer = new UpsampleConv2D({ filters: bias.shape[0] })
  const model = tf.layers.model({ inputs: input, outputs: layer.apply(input) as tf.layers.SymbolicTensor })
  layer.setWeights([kernel, bias])
  return model
}

/** The textbook block: nearest ×2, then a 3×3 'same' conv2d with the flipped, channel-swapped kernel. */
function referenceModel(inShape: number[], kernel: tf.Tensor, bias: tf.Tensor): tf.layers.LayersModel {
  const L = tf.layers.layers
  const input = tf.layers.input({ shape: inShape })
  const up = L.upSampling2d({ size: [2, 2] }).apply(input)
  const conv = L.conv2d({ filters: bias.shape[0], kernelSize: 3, padding: 'same' })
  const model = tf.layers.model({ inputs: input, outputs: conv.apply(up) as tf.layers.SymbolicTensor })
  conv.setWeights([tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]), bias])
  return model
}

describe('UpsampleConv2D (nearest ×2 + 3×3 conv as one 4×4 transposed convolution)', () => {
  afterAll(async () => {
    await selectBackend('wasm')
  })

  it.each(['cpu', 'wasm'] as const)('equals upSampling2d + conv2d on %s, odd sizes and borders included', async (backend) => {
    await selectBackend(backend)
    const kernel = random([3, 3, 4, 3], 1)
    const bias = random([4], 2)
    const x = random([2, 5, 6, 3], 3)
    const ours = upsampleModel([5, 6, 3], kernel, bias)
    const reference = referenceModel([5, 6, 3], kernel, bias)
    const [a, b] = [ours.predict(x) as tf.Tensor, reference.predict(x) as tf.Tensor]
    expect(a.shape).toEqual([2, 10, 12, 4])
    expect(maxDifference(a, b)).toBeLessThan(1e-5)
    tf.dispose([kernel, bias, x, a, b])
    ours.dispose()
    reference.dispose()
  })

  it('gives every output phase the same total weight: a constant map stays constant away from the border', async () => {
    await selectBackend('cpu')
    const kernel = random([3, 3, 1, 1], 4)
    const derived = upsampleKernel(kernel as tf.Tensor4D).dataSync()
    // Per axis the 4 taps split into phases {0, 2} and {1, 3}; every (row, column) phase pair sums alike.
    const phaseSum = (p: number, q: number) => [p, p + 2].reduce((s, r) => s + [q, q + 2].reduce((t, c) => t + derived[r * 4 + c], 0), 0)
    const total = Array.from(kernel.dataSync()).reduce((s, v) => s + v, 0)
    for (const [p, q] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1]
    ])
      expect(phaseSum(p, q)).toBeCloseTo(total, 5)
    const model = upsampleModel([6, 6, 1], kernel, tf.zeros([1]))
    const y = tf.tidy(() => tf.slice(model.predict(tf.ones([1, 6, 6, 1])) as tf.Tensor, [0, 1, 1, 0], [1, 10, 10, 1]))
    const values = y.dataSync()
    expect(Math.max(...values) - Math.min(...values)).toBeLessThan(1e-5)
    // A plain 3×3 transposed convolution with the same kernel does not: its phases sum 4, 2, 2 and 1 taps.
    const plain = tf.tidy(() =>
      tf.slice(
        tf.conv2dTranspose(tf.ones([1, 6, 6, 1]) as tf.Tensor4D, kernel as tf.Tensor4D, [1, 12, 12, 1], 2, 'same'),
        [0, 1, 1, 0],
        [1, 10, 10, 1]
      )
    )
    const p = plain.dataSync()
    expect(Math.max(...p) - Math.min(...p)).toBeGreaterThan(1e-2)
    tf.dispose([kernel, y, plain])
    model.dispose()
  })

  it('has the gradients of upSampling2d + conv2d, on wasm (our transposed-conv kernels) as on cpu', async () => {
    const grads: Record<string, Float32Array[]> = {}
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend)
      const kernel = tf.variable(random([3, 3, 8, 5], 5))
      const x = random([3, 4, 4, 5], 6) as tf.Tensor4D
      const target = random([3, 8, 8, 8], 7)
      const { grads: g } = tf.variableGrads(() => {
        const y = tf.conv2dTranspose(x, upsampleKernel(kernel as tf.Tensor4D), [3, 8, 8, 8], 2, 'same')
        return tf.sum(tf.square(tf.sub(y, target)))
      }, [kernel])
      grads[backend] = [g[kernel.name].dataSync() as Float32Array]
      if (backend === 'cpu') {
        // The same gradient through the textbook block (kernel flipped and channel-swapped for conv2d).
        const { grads: r } = tf.variableGrads(() => {
          const w = tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D
          const y = tf.conv2d(tf.image.resizeNearestNeighbor(x, [8, 8]), w, 1, 'same')
          return tf.sum(tf.square(tf.sub(y, target)))
        }, [kernel])
        grads.reference = [r[kernel.name].dataSync() as Float32Array]
        tf.dispose(Object.values(r))
      }
      tf.dispose([kernel, x, target, ...Object.values(g)])
    }
    const relative = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(...b.map(Math.abs))
    expect(relative(grads.cpu[0], grads.reference[0])).toBeLessThan(1e-5)
    expect(relative(grads.wasm[0], grads.cpu[0])).toBeLessThan(1e-4)
  })

  it('round-trips through the layers format (registered class) and leaks no tensors', async () => {
    await selectBackend('wasm')
    const kernel = random([3, 3, 2, 3], 8)
    const bias = random([2], 9)
    const model = upsampleModel([4, 4, 3], kernel, bias)
    let saved: tf.io.ModelArtifacts | undefined
    await model.save(
      tf.io.withSaveHandler(
        async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })
      )
    )
    const loaded = await tf.layers.loadLayersModel(tf.io.fromMemory(saved!))
    const x = random([1, 4, 4, 3], 10)
    const before = tf.memory().numTensors
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor]
    expect(maxDifference(a, b)).toBe(0)
    tf.dispose([a, b])
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([kernel, bias, x])
    model.dispose()
    loaded.dispose()
  })
})

describe('the upsample-conv decoder against the first decoder', () => {
  /** Power at the seam and checkerboard frequencies of 32 decoded samples (spectrum.ts's grid, absolute). */
  function aliasPower(decoder: DecoderKind, seed: number): number {
    const model = new VaeModel(
      modelConfigSchema.parse({ ...defaultModelConfig, imageSize: 64, channels: 1, latentDim: 8, baseFilters: 8, decoder }),
      seed
    )
    try {
      return gridFigure(setSpectrum(decodeCodes(model, sampleCodes(8, 32, 1, 0))))
    } finally {
      model.dispose()
    }
  }

  it('starts with a fraction of the transposed 3×3 decoder’s power at the alias frequencies, whatever the initial weights', async () => {
    await selectBackend('cpu')
    const before = tf.memory().numTensors
    for (const seed of [1, 2, 3]) {
      // Measured: transposed-3x3 39–66, upsample-conv 3–5 (grid ÷ ring median; real faces ≈ 1 relative).
      expect(aliasPower('upsample-conv', seed) * 4).toBeLessThan(aliasPower('transposed-3x3', seed))
    }
    expect(tf.memory().numTensors).toBe(before)
  })
})
