import { describe, expect, it } from 'vitest'
import { sampleCodes } from '../../../src/main/engine/inference/inference'
import { aggregatePosterior, mixtureSampler, posteriorCodes, priorSampler } from './latent-samplers'
import { gaussianStats } from '../../../src/main/engine/quality/linalg'

describe('latent samplers', () => {
  it('the prior draws exactly the codes model:sample draws for a seed and temperature', () => {
    expect(priorSampler(6).sample(5, 42, 0.7)).toEqual(sampleCodes(6, 5, 0.7, 42))
  })

  it('the aggregate posterior is an equal mixture of the images’ N(μ, σ²)', () => {
    const mu = [
      [-3, 0],
      [3, 0]
    ]
    const logVar = [
      [Math.log(0.25), Math.log(0.25)],
      [Math.log(0.25), Math.log(0.25)]
    ]
    const q = aggregatePosterior(mu, logVar)
    expect(Array.from(q.weights)).toEqual([0.5, 0.5])
    const codes = mixtureSampler('q', q).sample(20000, 1)
    const left = codes.filter((z) => z[0] < 0)
    expect(left.length / codes.length).toBeCloseTo(0.5, 1)
    const s = gaussianStats(left)
    expect(s.mean[0]).toBeCloseTo(-3, 1)
    expect(s.cov[3]).toBeCloseTo(0.25, 1)
    expect(mixtureSampler('q', q).sample(8, 3, 0.5)).toEqual(mixtureSampler('q', q).sample(8, 3, 0.5))
  })

  it('posterior codes spread each μ by its σ, reproducibly', () => {
    const codes = posteriorCodes([[1, 2]], [[0, Math.log(4)]], 20000, 5)
    const s = gaussianStats(codes)
    expect(s.mean[0]).toBeCloseTo(1, 1)
    expect(s.cov[0]).toBeCloseTo(1, 1)
    expect(s.cov[3]).toBeCloseTo(4, 0)
    expect(posteriorCodes([[1, 2]], [[0, 0]], 3, 5)).toEqual(posteriorCodes([[1, 2]], [[0, 0]], 3, 5))
  })
})
