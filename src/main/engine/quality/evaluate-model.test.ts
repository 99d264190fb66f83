import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VaeModel } from '../model/vae-model'
import * as tf from '../tf'
import { smallDataset, smallModel, smallTrain, useWasm } from '../../../../test/support/small-setup'
import { Trainer } from '../train/trainer'
import { distanceToReference, evaluateModel, priorSampler, referenceFaces } from './evaluate-model'
import { FaceEmbedder } from './face-embedder'

let embedder: FaceEmbedder

beforeAll(async () => {
  await useWasm()
  embedder = await FaceEmbedder.start()
}, 120_000)
afterAll(() => embedder?.dispose())

describe('evaluateModel', () => {
  it(
    'reports the face metric for a model’s samples, without leaking tensors, and reuses a cached reference',
    { timeout: 300_000 },
    async () => {
      const data = smallDataset(24)
      const vae = new VaeModel(smallModel, 1)
      const before = tf.memory().numTensors
      const reference = await referenceFaces(
        embedder,
        data,
        Array.from({ length: 20 }, (_, i) => i)
      )
      const report = await evaluateModel(vae, data, { embedder, heldOut: [20, 21, 22, 23], reference, samples: 12, seed: 3 })
      expect(tf.memory().numTensors).toBe(before)
      expect(report).toMatchObject({ samples: 12, reference: 20, heldOut: 4, sampler: 'prior', temperature: 1 })
      for (const key of ['frechet', 'kid', 'identity', 'msPerFace', 'seconds'] as const) expect(Number.isFinite(report[key])).toBe(true)
      // An untrained decoder draws grey blobs: far from the demo faces, farther than their own halves.
      expect(report.frechet).toBeGreaterThan(report.floor.frechet)
      expect(report.identity).toBeLessThanOrEqual(1)
      // The same seed decodes the same samples, so the figure repeats exactly.
      const again = await evaluateModel(vae, data, {
        embedder,
        heldOut: [20, 21, 22, 23],
        reference,
        samples: 12,
        seed: 3,
        sampler: priorSampler(smallModel.latentDim)
      })
      expect(again.frechet).toBe(report.frechet)
      expect(again.kid).toBe(report.kid)
      // Real faces against their own reference sit far below the model's samples.
      expect(distanceToReference(reference.embeddings.slice(0, 12), reference).frechet).toBeLessThan(report.frechet)
      expect(tf.memory().numTensors).toBe(before)
      vae.dispose()
    }
  )

  it('scores a model better after more training than after a few steps', { timeout: 300_000 }, async () => {
    const data = smallDataset(240)
    const reference = await referenceFaces(
      embedder,
      data,
      Array.from({ length: 200 }, (_, i) => i)
    )
    const heldOut = Array.from({ length: 16 }, (_, i) => 200 + i)
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
      trainer.dispose()
    }
    await train(1)
    const early = await evaluateModel(vae, data, { embedder, heldOut, reference, samples: 64, seed: 5 })
    await train(20)
    const later = await evaluateModel(vae, data, { embedder, heldOut, reference, samples: 64, seed: 5 })
    vae.dispose()
    console.info(
      `sample quality after 1 epoch: FD ${early.frechet.toFixed(4)}, identity ${early.identity.toFixed(3)}; after 21: FD ${later.frechet.toFixed(4)}, identity ${later.identity.toFixed(3)}`
    )
    expect(later.frechet).toBeLessThan(early.frechet * 0.9)
    expect(later.identity).toBeGreaterThan(early.identity)
  })
})
