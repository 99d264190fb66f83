import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VaeModel } from '../model/vae-model'
import * as tf from '../tf'
import { smallDataset, smallModel, useWasm } from '../../../../test/support/small-setup'
import { distanceToReference, evaluateModel, priorSampler, referenceFaces } from './evaluate-model'
import { FaceEmbedder } from './face-embedder'

let embedder: FaceEmbedder

beforeAll(async () => {
  await useWasm()
  embedder = await FaceEmbedder.start()
}, 120_000)
afterAll(() => embedder?.dispose())

describe('evaluateModel', () => {
  it('reports the face metric for a model’s samples, without leaking tensors, and reuses a cached reference', { timeout: 300_000 }, async () => {
    const data = smallDataset(24)
    const vae = new VaeModel(smallModel, 1)
    const before = tf.memory().numTensors
    const reference = await referenceFaces(embedder, data, Array.from({ length: 20 }, (_, i) => i))
    const report = await evaluateModel(vae, data, { embedder, heldOut: [20, 21, 22, 23], reference, samples: 12, seed: 3 })
    expect(tf.memory().numTensors).toBe(before)
    expect(report).toMatchObject({ samples: 12, reference: 20, heldOut: 4, sampler: 'prior', temperature: 1 })
    for (const key of ['frechet', 'kid', 'identity', 'msPerFace', 'seconds'] as const) expect(Number.isFinite(report[key])).toBe(true)
    // An untrained decoder draws grey blobs: far from the demo faces, farther than their own halves.
    expect(report.frechet).toBeGreaterThan(report.floor.frechet)
    expect(report.identity).toBeLessThanOrEqual(1)
    // The same seed decodes the same samples, so the figure repeats exactly.
    const again = await evaluateModel(vae, data, { embedder, heldOut: [20, 21, 22, 23], reference, samples: 12, seed: 3, sampler: priorSampler(smallModel.latentDim) })
    expect(again.frechet).toBe(report.frechet)
    expect(again.kid).toBe(report.kid)
    // Real faces against their own reference sit far below the model's samples.
    expect(distanceToReference(reference.embeddings.slice(0, 12), reference).frechet).toBeLessThan(report.frechet)
    expect(tf.memory().numTensors).toBe(before)
    vae.dispose()
  })
})
