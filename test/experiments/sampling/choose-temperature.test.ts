import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VaeModel } from '../../../src/main/engine/model/vae-model'
import { referenceFaces } from '../../../src/main/engine/quality/reference-faces'
import { priorSampler } from './latent-samplers'
import { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import * as tf from '../../../src/main/engine/tf'
import { smallDataset, smallModel, useWasm } from '../../support/small-setup'
import { chooseTemperature } from './choose-temperature'

let embedder: FaceEmbedder

beforeAll(async () => {
  await useWasm()
  embedder = await FaceEmbedder.start()
}, 120_000)
afterAll(() => embedder?.dispose())

describe('chooseTemperature', () => {
  it('picks the candidate with the lowest Fréchet distance, without leaking tensors', { timeout: 300_000 }, async () => {
    const data = smallDataset(24)
    const vae = new VaeModel(smallModel, 1)
    const before = tf.memory().numTensors
    const reference = await referenceFaces(
      embedder,
      data,
      Array.from({ length: 20 }, (_, i) => i)
    )
    const choice = await chooseTemperature(vae, priorSampler(smallModel.latentDim), reference, embedder, {
      candidates: [0.5, 1],
      samples: 8,
      seed: 2
    })
    expect(choice.scores.map((s) => s.temperature)).toEqual([0.5, 1])
    expect(choice.temperature).toBe(choice.scores[0].frechet <= choice.scores[1].frechet ? 0.5 : 1)
    expect(tf.memory().numTensors).toBe(before)
    vae.dispose()
  })
})
