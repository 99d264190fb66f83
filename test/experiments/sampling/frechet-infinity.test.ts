import { describe, expect, it } from 'vitest'
import { frechetDistance } from '../../../src/main/engine/quality/frechet-distance'
import { gaussianCloud } from '../../support/quality-testing-helpers'
import { frechetInfinity } from './frechet-infinity'

describe('Fréchet distance without the sample-size bias (FD∞)', () => {
  it('extrapolates to the population distance, where the raw estimate from few samples is biased upwards', () => {
    const d = 32
    const reference = gaussianCloud(20000, Array(d).fill(0), Array(d).fill(1), 11)
    const samples = gaussianCloud(400, Array(d).fill(0), Array(d).fill(1), 12)
    const raw = frechetDistance(reference, samples)
    const inf = frechetInfinity(samples, reference, { seed: 1, repeats: 4 })
    console.info(`same distribution, 400 samples: FD ${raw.toFixed(3)}, FD∞ ${inf.frechet.toFixed(3)}`)
    // The population distance is 0; 400 samples in 32-d carry a bias of about 0.8.
    expect(raw).toBeGreaterThan(0.5)
    expect(Math.abs(inf.frechet)).toBeLessThan(raw / 4)
    expect(inf.slope).toBeGreaterThan(0)
  })
})
