import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VaeModel } from '../model/vae-model'
import * as tf from '../tf'
import { smallDataset, smallModel, smallTrain, useWasm } from '../../../../test/support/small-setup'
import { fitCodeSampler, priorCodeSampler } from '../sampling/code-sampler'
import { Trainer } from '../train/trainer'
import { FaceEmbedder } from './face-embedder'
import { heldOutFaces, referenceFaces } from './reference-faces'
import { distanceToReference, measureSampleQuality } from './sample-quality'

let embedder: FaceEmbedder

beforeAll(async () => {
  await useWasm()
  embedder = await FaceEmbedder.start()
}, 120_000)
afterAll(() => embedder?.dispose())

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)

describe('measureSampleQuality', () => {
  it(
    'reports the face metric for a model’s samples, without leaking tensors, the same for the same seed',
    { timeout: 300_000 },
    async () => {
      const data = smallDataset(24)
      const vae = new VaeModel(smallModel, 1)
      const before = tf.memory().numTensors
      const reference = await referenceFaces(embedder, data, rows(0, 20))
      const heldOut = await heldOutFaces(embedder, data, rows(20, 4))
      const sampler = priorCodeSampler(smallModel.latentDim)
      const measure = () =>
        measureSampleQuality({ model: vae, data, embedder, reference, heldOut, sampler, samples: 12, seed: 3, temperature: 1 })
      const report = await measure()
      expect(tf.memory().numTensors).toBe(before)
      expect(report).toMatchObject({ samples: 12, reference: 20, heldOut: 4, temperature: 1, sampling: 'prior' })
      for (const key of ['frechet', 'kid', 'kidStd', 'identity', 'msPerFace', 'seconds'] as const)
        expect(Number.isFinite(report[key])).toBe(true)
      // An untrained decoder draws grey blobs: far from the demo faces, farther than their own halves.
      expect(report.frechet).toBeGreaterThan(report.floor.frechet)
      expect(report.identity).toBeLessThanOrEqual(1)
      // The same seed decodes the same samples, so the figure repeats exactly.
      const again = await measure()
      expect([again.frechet, again.kid, again.identity]).toEqual([report.frechet, report.kid, report.identity])
      // Real faces against their own reference sit far below the model's samples.
      expect(distanceToReference(reference.embeddings.slice(0, 12), reference).frechet).toBeLessThan(report.frechet)
      expect(tf.memory().numTensors).toBe(before)
      vae.dispose()
    }
  )

  it('stops between its stages once abandoned', { timeout: 300_000 }, async () => {
    const data = smallDataset(24)
    const vae = new VaeModel(smallModel, 1)
    const reference = await referenceFaces(embedder, data, rows(0, 20))
    const heldOut = await heldOutFaces(embedder, data, rows(20, 4))
    let checks = 0
    const embedded = embedder.timing.faces
    const abandoned = measureSampleQuality({
      model: vae,
      data,
      embedder,
      reference,
      heldOut,
      sampler: priorCodeSampler(smallModel.latentDim),
      samples: 40,
      seed: 3,
      temperature: 1,
      check: () => {
        if (++checks === 2) throw new Error('abandoned')
      }
    })
    await expect(abandoned).rejects.toThrow('abandoned')
    // Abandoned after the second slice of samples: nothing more was decoded or embedded.
    expect(checks).toBe(2)
    expect(embedder.timing.faces).toBe(embedded)
    vae.dispose()
  })

  it('scores a model better after more training than after a few steps', { timeout: 300_000 }, async () => {
    const data = smallDataset(240)
    const reference = await referenceFaces(embedder, data, rows(0, 200))
    const heldOut = await heldOutFaces(embedder, data, rows(200, 16))
    const vae = new VaeModel(smallModel, 1)
    const train = async (epochs: number): Promise<void> => {
      const trainer = new Trainer({
        model: vae,
        config: smallTrain({ epochs, learningRate: 3e-3, valFraction: 0.1, checkpointEverySteps: 1_000_000 }),
        data,
        store: { saveCheckpoint: async () => undefined, appendHistory: async () => undefined },
        events: { progress: () => undefined, epoch: () => undefined, state: () => undefined, notice: () => undefined }
      })
      expect((await trainer.run()).state).toBe('finished')
      await trainer.dispose()
    }
    // Codes as the studio draws them: fitted to the training faces' codes at each measurement.
    const measure = () =>
      measureSampleQuality({
        model: vae,
        data,
        embedder,
        reference,
        heldOut,
        sampler: fitCodeSampler(vae, data, rows(0, 200)),
        samples: 64,
        seed: 5,
        temperature: 1
      })
    await train(1)
    const early = await measure()
    await train(20)
    const later = await measure()
    vae.dispose()
    console.info(
      `sample quality after 1 epoch: FD ${early.frechet.toFixed(4)}, identity ${early.identity.toFixed(3)}; after 21: FD ${later.frechet.toFixed(4)}, identity ${later.identity.toFixed(3)}`
    )
    expect(later.frechet).toBeLessThan(early.frechet * 0.9)
    expect(later.identity).toBeGreaterThan(early.identity)
  })
})
