import { describe, expect, it } from 'vitest'
import {
  decoderKind,
  defaultEncoderFilters,
  defaultModelConfig,
  encoderWidth,
  modelConfigSchema,
  type ModelConfig
} from '../../../shared/config'
import { migrateToCurrent } from '../project/migrations'
import { projectFileSchema } from '../project/project-schema'
import { VaeModel } from './vae-model'

/** project.json as every build before the decoder field wrote it (schema 2, all model fields filled). */
const savedBeforeDecoder = {
  schemaVersion: 2,
  name: 'faces',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T11:00:00.000Z',
  appVersion: '0.1.0',
  dataset: null,
  model: { imageSize: 64, channels: 1, latentDim: 32, recon: 'bce', baseFilters: 32 },
  train: {
    epochs: 20,
    batchSize: 64,
    learningRate: 0.001,
    beta: 1,
    warmup: { kind: 'none', steps: 1000 },
    valFraction: 0.1,
    augmentFlip: false,
    seed: 1,
    checkpointEverySteps: 200,
    workers: 0,
    quality: true
  },
  betaChanges: []
}

/** project.json as opening a project reads it: migrated to the current schema, then parsed. */
function openProjectFile(doc: Record<string, unknown>) {
  return projectFileSchema.parse(migrateToCurrent(doc, { defaultName: 'faces', now: '2026-12-07T00:00:00.000Z' }).doc)
}

describe('the model config’s decoder field', () => {
  it('reads a project saved before the field existed as the decoder its weights were trained for', () => {
    expect(openProjectFile(savedBeforeDecoder).model.decoder).toBe('transposed-3x3')
    expect(modelConfigSchema.parse({ imageSize: 32, channels: 3, latentDim: 8, recon: 'mse', baseFilters: 8 }).decoder).toBe(
      'transposed-3x3'
    )
  })

  it('gives new projects the seam-free decoder, whatever else their options say', () => {
    expect(modelConfigSchema.parse({}).decoder).toBe('upsample-conv')
    expect(modelConfigSchema.parse({ latentDim: 16, recon: 'mse' }).decoder).toBe('upsample-conv')
    expect(defaultModelConfig.decoder).toBe('upsample-conv')
  })

  it('keeps a decoder a config names, and a parsed config parses to itself (saved now, opened later)', () => {
    const old = modelConfigSchema.parse({ decoder: 'transposed-3x3' })
    expect(old.decoder).toBe('transposed-3x3')
    expect(modelConfigSchema.parse(JSON.parse(JSON.stringify(old)))).toEqual(old)
    const saved = { ...savedBeforeDecoder, model: { ...savedBeforeDecoder.model, decoder: 'upsample-conv' } }
    expect(openProjectFile(saved).model.decoder).toBe('upsample-conv')
    expect(modelConfigSchema.parse(defaultModelConfig)).toEqual(defaultModelConfig)
  })

  it('refuses an unknown decoder, and other fields are checked as before', () => {
    expect(modelConfigSchema.safeParse({ decoder: 'magic' }).success).toBe(false)
    expect(modelConfigSchema.safeParse({ latentDim: 1 }).success).toBe(false)
    expect(modelConfigSchema.safeParse({ extra: 1 }).success).toBe(false)
    expect(modelConfigSchema.safeParse('not an object').success).toBe(false)
  })

  it('treats a config written in code without the field as the first decoder', () => {
    const literal: ModelConfig = { imageSize: 32, channels: 1, latentDim: 4, recon: 'bce', baseFilters: 8 }
    expect(decoderKind(literal)).toBe('transposed-3x3')
  })

  it('loads an old project’s checkpoint into the model its config now builds', () => {
    const old: ModelConfig = { imageSize: 32, channels: 1, latentDim: 4, recon: 'bce', baseFilters: 8 }
    const trained = new VaeModel(old, 3)
    const reopened = new VaeModel(modelConfigSchema.parse(JSON.parse(JSON.stringify(old))), 5)
    reopened.loadWeightArrays(trained.weightArrays())
    expect(reopened.decoder.layers.map((l) => l.getClassName())).toEqual(trained.decoder.layers.map((l) => l.getClassName()))
    trained.dispose()
    reopened.dispose()
  })

  it('refuses a checkpoint of the other decoder, although every tensor has the shape the model expects', () => {
    const cfg = { imageSize: 32, channels: 1, latentDim: 4, recon: 'bce', baseFilters: 8 } as const
    const old = new VaeModel({ ...cfg, decoder: 'transposed-3x3' }, 3)
    const upsampling = new VaeModel({ ...cfg, decoder: 'upsample-conv' }, 3)
    expect(() => upsampling.loadWeightArrays(old.weightArrays())).toThrow(
      /decoder_deconv_1\/kernel but this model has decoder\/decoder_upconv_1\/kernel/
    )
    old.dispose()
    upsampling.dispose()
  })
})

describe('the model config’s encoder width', () => {
  const encoderFilters = (model: VaeModel) =>
    model.encoder.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig().filters)
  const decoderFilters = (model: VaeModel) =>
    model.decoder.layers.filter((l) => 'filters' in l.getConfig()).map((l) => l.getConfig().filters)

  it('reads projects saved before the field as an encoder as wide as the decoder', () => {
    expect(encoderWidth(openProjectFile(savedBeforeDecoder).model)).toBe(32)
    const savedWithDecoder = { ...savedBeforeDecoder, model: { ...savedBeforeDecoder.model, decoder: 'upsample-conv' } }
    expect(openProjectFile(savedWithDecoder).model.encoderFilters).toBeUndefined()
    expect(encoderWidth(openProjectFile(savedWithDecoder).model)).toBe(32)
    const literal: ModelConfig = { imageSize: 32, channels: 1, latentDim: 4, recon: 'bce', baseFilters: 8 }
    expect(encoderWidth(literal)).toBe(8)
  })

  it('gives new projects the narrower encoder, and keeps a width a config names', () => {
    expect(defaultModelConfig.encoderFilters).toBe(defaultEncoderFilters)
    expect(modelConfigSchema.parse({ latentDim: 16, decoder: 'transposed-3x3' }).encoderFilters).toBe(defaultEncoderFilters)
    const wide = modelConfigSchema.parse({ encoderFilters: 32 })
    expect(wide.encoderFilters).toBe(32)
    expect(modelConfigSchema.parse(JSON.parse(JSON.stringify(wide)))).toEqual(wide)
    expect(modelConfigSchema.safeParse({ encoderFilters: 2 }).success).toBe(false)
  })

  it('builds the encoder at its width and the decoder at the base width; an old project’s checkpoint still loads', () => {
    const cfg = { imageSize: 32, channels: 1, latentDim: 4, recon: 'bce', baseFilters: 8, decoder: 'upsample-conv' } as const
    const narrow = new VaeModel(modelConfigSchema.parse({ ...cfg, encoderFilters: 4 }), 3)
    const old = new VaeModel(modelConfigSchema.parse(cfg), 3)
    expect(encoderFilters(narrow)).toEqual([4, 8, 16])
    expect(encoderFilters(old)).toEqual([8, 16, 32])
    expect(decoderFilters(narrow)).toEqual(decoderFilters(old))
    // Reopened as saved (JSON), the old project's config builds the model its checkpoint fits.
    const reopened = new VaeModel(modelConfigSchema.parse(JSON.parse(JSON.stringify(old.config))), 5)
    reopened.loadWeightArrays(old.weightArrays())
    expect(() => narrow.loadWeightArrays(old.weightArrays())).toThrow()
    for (const m of [narrow, old, reopened]) m.dispose()
  })
})
