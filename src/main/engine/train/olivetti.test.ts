/**
 * A real short run on real faces (Olivetti, 400 photos of 40 people): held-out reconstructions
 * must get clearly better than an untrained model's, and the held-out loss must fall.
 */
import { promises as fs } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultFaceImport, defaultTrainConfig, type ModelConfig, type TrainConfig } from '../../../shared/config'
import type { TrainEpoch } from '../../../shared/events'
import { importFolder } from '../dataset/import-folder'
import { openDataset, type OpenedDataset } from '../dataset/open-dataset'
import { decodeCodes, encodeRows } from '../inference/inference'
import { VaeModel } from '../model/vae-model'
import { tempDir, useWasm } from '../../../../test/support/small-setup'
import { splitIndices } from './data-split'
import { Trainer } from './trainer'
import { faceSet } from '../../../../test/support/datasets'

const olivetti = faceSet('olivetti_faces_64')
const model: ModelConfig = { imageSize: 32, channels: 1, latentDim: 16, recon: 'bce', baseFilters: 16 }
const train: TrainConfig = {
  ...defaultTrainConfig,
  length: { unit: 'epochs', amount: 8 },
  batchSize: 32,
  learningRate: 2e-3,
  valFraction: 0.1,
  checkpointEverySteps: 1_000_000
}
let dir: string
let data: OpenedDataset

function heldOutMse(vae: VaeModel): number {
  const { val } = splitIndices(data.count, train.valFraction, train.seed)
  const images = decodeCodes(vae, encodeRows(vae, data, val).mu)
  const pixels = 32 * 32
  let sum = 0
  images.forEach((img, i) => img.pixels.forEach((v, p) => (sum += ((v - data.images[val[i] * pixels + p]) / 255) ** 2)))
  return sum / (val.length * pixels)
}

describe.skipIf(!olivetti)('training on real faces', () => {
  beforeAll(async () => {
    await useWasm()
    dir = await tempDir('olivetti')
    await importFolder(olivetti!, dir, {
      size: 32,
      fit: 'crop',
      channels: 1,
      maxPixels: 100_000_000,
      faces: { ...defaultFaceImport, find: false }
    })
    data = await openDataset(dir)
  })
  afterAll(() => fs.rm(dir, { recursive: true, force: true }))

  it('lowers the held-out loss and reconstruction error clearly', { timeout: 300_000 }, async () => {
    expect(data.count).toBe(400)
    const vae = new VaeModel(model, train.seed)
    const untrained = heldOutMse(vae)
    const epochs: TrainEpoch[] = []
    const trainer = new Trainer({
      model: vae,
      config: train,
      data,
      store: { saveCheckpoint: async () => undefined, appendHistory: async () => undefined },
      events: { progress: () => undefined, epoch: (e) => epochs.push(e), state: () => undefined, notice: () => undefined }
    })
    expect((await trainer.run()).state).toBe('finished')
    trainer.dispose()
    const trained = heldOutMse(vae)
    vae.dispose()
    expect(epochs).toHaveLength(8)
    expect(epochs.at(-1)!.valLoss).toBeLessThan(epochs[0].valLoss - 10)
    console.info(
      `olivetti: held-out loss ${epochs[0].valLoss.toFixed(1)} → ${epochs.at(-1)!.valLoss.toFixed(1)}; MSE from μ ${untrained.toFixed(4)} untrained → ${trained.toFixed(4)}`
    )
    expect(trained).toBeLessThan(untrained * 0.6)
  })
})
