import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { decoderKinds, modelConfigSchema, type ModelConfig } from '../../../shared/config'
import { selectBackend } from '../backend/select-backend'
import { buildVae } from './build-vae'
import { transposedKernelSize as decoderKernelSize } from './upsampling-block'
import { encoderKernelSize } from './encoder'

const config = (overrides: Partial<ModelConfig>): ModelConfig => modelConfigSchema.parse(overrides)

async function roundTrip(model: tf.layers.LayersModel): Promise<tf.layers.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    })
  )
  if (saved === undefined) throw new Error('nothing was saved')
  return tf.layers.loadLayersModel(tf.io.fromMemory(saved))
}

describe('buildVae', () => {
  beforeAll(async () => {
    await selectBackend('wasm')
  })

  it.each([
    { imageSize: 32, channels: 1, latentDim: 2 },
    { imageSize: 64, channels: 3, latentDim: 32 },
    { imageSize: 128, channels: 3, latentDim: 256 },
    { imageSize: 64, channels: 1, latentDim: 7, baseFilters: 8 }
  ] as const)('maps $imageSize px × $channels images to $latentDim-d μ, log σ² and back', (overrides) => {
    const cfg = config(overrides)
    const { encoder, decoder } = buildVae(cfg)
    tf.tidy(() => {
      const x = tf.randomUniform([2, cfg.imageSize, cfg.imageSize, cfg.channels])
      const [mu, logVar] = encoder.predict(x) as tf.Tensor[]
      expect(mu.shape).toEqual([2, cfg.latentDim])
      expect(logVar.shape).toEqual([2, cfg.latentDim])
      expect((decoder.predict(mu) as tf.Tensor).shape).toEqual([2, cfg.imageSize, cfg.imageSize, cfg.channels])
    })
    encoder.dispose()
    decoder.dispose()
  })

  it.each(decoderKinds)(
    'builds the %s decoder: image-sized logits, no leaks, same outputs after a layers-format round trip',
    async (kind) => {
      const { encoder, decoder } = buildVae(config({ imageSize: 32, channels: 1, latentDim: 4, baseFilters: 8, decoder: kind }))
      const z = tf.randomNormal([2, 4])
      const loaded = await roundTrip(decoder)
      const before = tf.memory().numTensors
      const logits = decoder.predict(z) as tf.Tensor
      expect(logits.shape).toEqual([2, 32, 32, 1])
      expect(decoder.layers.at(-1)?.name).toBe('logits')
      const again = loaded.predict(z) as tf.Tensor
      expect(Array.from(again.dataSync())).toEqual(Array.from(logits.dataSync()))
      tf.dispose([logits, again])
      expect(tf.memory().numTensors).toBe(before)
      for (const m of [encoder, decoder, loaded]) m.dispose()
      z.dispose()
    }
  )

  it('keeps one free 3×3 kernel per upsample-conv block, in the transposed-convolution layout [k, k, out, in]', () => {
    const { encoder, decoder } = buildVae(config({ imageSize: 64, channels: 3, baseFilters: 8, decoder: 'upsample-conv' }))
    const kernels = decoder.layers.filter((l) => l.getClassName() === 'VaeStudioUpsampleConv2D').map((l) => l.getWeights()[0].shape)
    expect(kernels).toEqual([
      [3, 3, 32, 64],
      [3, 3, 16, 32],
      [3, 3, 8, 16],
      [3, 3, 3, 8]
    ])
    encoder.dispose()
    decoder.dispose()
  })

  it('has one stride-2 block per halving down to 4×4, filters doubling up to 8 × baseFilters', () => {
    const { encoder, decoder } = buildVae(config({ imageSize: 128, channels: 3, baseFilters: 16, decoder: 'transposed-3x3' }))
    const kernels = (m: tf.layers.LayersModel, kind: string) =>
      m.layers.filter((l) => l.getClassName() === kind).map((l) => l.getWeights()[0].shape)
    expect(kernels(encoder, 'Conv2D')).toEqual(
      [16, 32, 64, 128, 128].map((f, i, all) => [encoderKernelSize, encoderKernelSize, i ? all[i - 1] : 3, f])
    )
    // conv2dTranspose kernels are [k, k, out, in].
    expect(kernels(decoder, 'Conv2DTranspose')).toEqual([
      [decoderKernelSize, decoderKernelSize, 128, 128],
      [decoderKernelSize, decoderKernelSize, 64, 128],
      [decoderKernelSize, decoderKernelSize, 32, 64],
      [decoderKernelSize, decoderKernelSize, 16, 32],
      [decoderKernelSize, decoderKernelSize, 3, 16]
    ])
    expect(decoder.layers.at(-1)?.getConfig().activation).toBe('linear')
    encoder.dispose()
    decoder.dispose()
  })

  it('emits logits, not pixels', () => {
    const { encoder, decoder } = buildVae(config({ imageSize: 32, channels: 3, latentDim: 4 }))
    const [lo, hi] = tf.tidy(() => {
      const logits = decoder.predict(tf.mul(tf.ones([8, 4]), 30)) as tf.Tensor
      return [tf.min(logits).dataSync()[0], tf.max(logits).dataSync()[0]]
    })
    expect(lo < 0 || hi > 1).toBe(true)
    encoder.dispose()
    decoder.dispose()
  })

  it('round-trips both models through the layers format with identical outputs', async () => {
    const cfg = config({ imageSize: 32, channels: 3, latentDim: 8, baseFilters: 8 })
    const { encoder, decoder } = buildVae(cfg)
    const x = tf.randomUniform([3, 32, 32, 3])
    const z = tf.randomNormal([3, 8])
    const loadedEncoder = await roundTrip(encoder)
    const loadedDecoder = await roundTrip(decoder)
    const outputs = (m: tf.layers.LayersModel, input: tf.Tensor) => {
      const out = m.predict(input)
      return (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync()))
    }
    expect(outputs(loadedEncoder, x)).toEqual(outputs(encoder, x))
    expect(outputs(loadedDecoder, z)).toEqual(outputs(decoder, z))
    expect(loadedEncoder.outputNames).toEqual(['mu', 'log_var'])
    tf.dispose([x, z])
    for (const m of [encoder, decoder, loadedEncoder, loadedDecoder]) m.dispose()
  })

  it('predicts without leaking tensors', () => {
    const { encoder, decoder } = buildVae(config({ imageSize: 64, channels: 3, latentDim: 16, baseFilters: 8 }))
    const x = tf.randomUniform([2, 64, 64, 3])
    const before = tf.memory().numTensors
    for (let i = 0; i < 3; i++) {
      const [mu, logVar] = encoder.predict(x) as tf.Tensor[]
      const image = decoder.predict(mu) as tf.Tensor
      image.dataSync()
      tf.dispose([mu, logVar, image])
    }
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
    encoder.dispose()
    decoder.dispose()
  })
})
