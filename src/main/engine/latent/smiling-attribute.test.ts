/**
 * The real-photo twin of the demo faces' glasses test: a "smiling" direction learned from face
 * finding's automatic labels (happy ≥ 0.8 against ≤ 0.2, on the training faces only) makes
 * held-out faces look happier to the expression net, and random directions of the same length
 * do not. ORL's 400 photos, imported by face finding, a short training run.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultImportOptions, defaultTrainConfig, type ModelConfig, type TrainConfig } from '../../../shared/config'
import type { RawImage } from '../../../shared/images'
import { faceSet } from '../../../../test/support/datasets'
import { excludeRows } from '../dataset/exclude-rows'
import { labelGroups } from '../dataset/face-labels'
import { importFolder } from '../dataset/import-folder'
import { openDataset, type OpenedDataset } from '../dataset/open-dataset'
import { createFaceFinder, type FaceFinder } from '../faces'
import { decodeCodes, encodeRows } from '../inference/inference'
import { VaeModel } from '../model/vae-model'
import { Rng } from '../random/rng'
import { tempDir, useWasm } from '../../../../test/support/small-setup'
import * as tf from '../tf'
import { splitIndices } from '../train/data-split'
import { Trainer } from '../train/trainer'
import { applyAttribute, attributeVector } from './attribute'

const orl = faceSet('orl_faces')
const model: ModelConfig = { imageSize: 64, channels: 1, latentDim: 16, recon: 'bce', baseFilters: 16 }
const train: TrainConfig = {
  ...defaultTrainConfig,
  length: { unit: 'epochs', amount: 14 },
  batchSize: 32,
  learningRate: 2e-3,
  valFraction: 0.2,
  checkpointEverySteps: 1_000_000
}
let dir: string
let data: OpenedDataset
let vae: VaeModel
let finder: FaceFinder

describe.skipIf(!orl)('a "smiling" vector from the automatic labels', () => {
  beforeAll(async () => {
    await useWasm()
    dir = await tempDir('smiling')
    await importFolder(orl!, path.join(dir, 'imported'), { ...defaultImportOptions, size: 64, channels: 1 })
    // The few portraits in which no face was found are imported whole, without labels; this is about the labelled faces.
    const imported = await openDataset(path.join(dir, 'imported'))
    const whole = imported.files.filter((e) => e.status === 'imported' && !e.face).map((e) => e.index!)
    await excludeRows(imported, path.join(dir, 'dataset'), whole, false)
    data = await openDataset(path.join(dir, 'dataset'))
    vae = new VaeModel(model, train.seed)
    const trainer = new Trainer({
      model: vae,
      config: train,
      data,
      store: { saveCheckpoint: async () => undefined, appendHistory: async () => undefined },
      events: { progress: () => undefined, epoch: () => undefined, state: () => undefined, notice: () => undefined }
    })
    await trainer.run()
    trainer.dispose()
    finder = createFaceFinder({ workers: 1 })
  }, 600_000)
  afterAll(async () => {
    vae?.dispose()
    await finder?.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('makes held-out faces happier to the expression net, where random directions of its length do not', { timeout: 300_000 }, async () => {
    const tensorsBefore = tf.memory().numTensors
    const { train: trainRows, val } = splitIndices(data.count, train.valFraction, train.seed)
    const trainSet = new Set(trainRows)
    // The groups come from the training faces only; held-out faces never shaped the direction.
    const groups = labelGroups(
      data.files.filter((e) => e.index === undefined || trainSet.has(e.index)),
      'happy'
    )
    const mu = (rows: number[]) => encodeRows(vae, data, rows).mu
    const smiling = attributeVector(mu(groups.withIndices), mu(groups.withoutIndices))
    const happyOf = new Map(data.files.filter((e) => e.face?.expressions).map((e) => [e.index!, e.face!.expressions!.happy]))
    const held = val.filter((row) => (happyOf.get(row) ?? 1) <= 0.5)
    expect(held.length).toBeGreaterThanOrEqual(20)

    const codes = mu(held)
    const meanHappy = async (images: RawImage[]) => {
      const scores = await finder.expressAlignedFaces(images)
      return scores.reduce((sum, e) => sum + e.happy, 0) / scores.length
    }
    const base = await meanHappy(decodeCodes(vae, codes))
    const along = await meanHappy(
      decodeCodes(
        vae,
        codes.map((z) => applyAttribute(z, smiling, 1.5))
      )
    )
    const length = Math.hypot(...smiling)
    const rng = new Rng(11)
    const randomGains: number[] = []
    for (let k = 0; k < 4; k++) {
      const r = Array.from({ length: smiling.length }, () => rng.normal())
      const scale = length / Math.hypot(...r)
      const direction = r.map((v) => v * scale)
      randomGains.push(
        (await meanHappy(
          decodeCodes(
            vae,
            codes.map((z) => applyAttribute(z, direction, 1.5))
          )
        )) - base
      )
    }
    const gain = along - base
    console.info(
      `smiling: held-out happy ${base.toFixed(3)} → ${along.toFixed(3)} along the vector; random directions ${randomGains.map((g) => g.toFixed(3)).join(', ')}`
    )
    expect(gain).toBeGreaterThan(0.08)
    for (const randomGain of randomGains) expect(gain).toBeGreaterThan(randomGain + 0.06)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
  })
})
