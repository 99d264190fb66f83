import { beforeAll, describe, expect, it } from 'vitest'
import { smallDataset, smallModel, useWasm } from '../../../../test/support/small-setup'
import { encodeRows, sampleCodes } from '../inference/inference'
import { VaeModel } from '../model/vae-model'
import * as tf from '../tf'
import { fewestToFit, fitCap, fitCodeSampler, priorCodeSampler } from './code-sampler'

beforeAll(useWasm)

const rows = (count: number) => Array.from({ length: count }, (_, i) => i)

/** Per-dimension mean and variance of a set of codes. */
function moments(codes: number[][]): { mean: number[]; variance: number[] } {
  const dim = codes[0].length
  const mean = Array.from({ length: dim }, (_, j) => codes.reduce((s, c) => s + c[j], 0) / codes.length)
  const variance = mean.map((m, j) => codes.reduce((s, c) => s + (c[j] - m) ** 2, 0) / codes.length)
  return { mean, variance }
}

describe('the code sampler', () => {
  it('draws the prior exactly as model:sample always did', () => {
    const prior = priorCodeSampler(8)
    expect(prior).toMatchObject({ from: 'prior', components: 1, faces: 0 })
    expect(prior.sample(5, 0.8, 7)).toEqual(sampleCodes(8, 5, 0.8, 7))
  })

  it('fitted: draws where the encoder puts the training faces, the same codes for the same seed, without leaking tensors', () => {
    const data = smallDataset(120)
    const vae = new VaeModel(smallModel, 1)
    const before = tf.memory().numTensors
    const sampler = fitCodeSampler(vae, data, rows(100))
    expect(tf.memory().numTensors).toBe(before)
    expect(sampler.from).toBe('fitted')
    expect(sampler.faces).toBe(100)
    expect(sampler.components).toBeGreaterThanOrEqual(1)
    expect(sampler.sample(6, 1, 3)).toEqual(sampler.sample(6, 1, 3))
    expect(sampler.sample(6, 1, 3)).not.toEqual(sampler.sample(6, 1, 4))

    // An untrained encoder puts every face near one point with a small spread; prior draws ignore
    // that (mean 0, variance 1), the fitted ones follow it.
    const codes = moments(encodeRows(vae, data, rows(100)).mu)
    const drawn = moments(sampler.sample(2000, 1, 1))
    const spread = Math.max(...codes.variance)
    expect(spread).toBeLessThan(0.2)
    drawn.mean.forEach((m, j) => expect(Math.abs(m - codes.mean[j])).toBeLessThan(3 * Math.sqrt(codes.variance[j] / 100) + 0.02))
    drawn.variance.forEach((v, j) => expect(v / codes.variance[j]).toBeGreaterThan(0.6))
    // The fit adds a ridge of 1e-3 to every variance.
    drawn.variance.forEach((v, j) => expect(v).toBeLessThan(1.6 * codes.variance[j] + 1e-3))
    // The temperature narrows each component.
    expect(Math.max(...moments(sampler.sample(2000, 0.5, 1)).variance)).toBeLessThan(Math.max(...drawn.variance))
    vae.dispose()
  })

  it(`fits at most ${fitCap} faces, and falls back to the prior below ${fewestToFit}`, () => {
    const vae = new VaeModel(smallModel, 1)
    expect(fitCodeSampler(vae, smallDataset(fewestToFit - 1), rows(fewestToFit - 1)).from).toBe('prior')
    const many = smallDataset(fitCap + 40)
    const sampler = fitCodeSampler(vae, many, rows(fitCap + 40))
    expect(sampler).toMatchObject({ from: 'fitted', faces: fitCap })
    vae.dispose()
  })
})
