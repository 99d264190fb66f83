import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../../../src/main/engine/tf'
import { useWasm } from '../../support/small-setup'
import { frechetDistance } from '../../../src/main/engine/quality/frechet-distance'
import { gaussianCloud } from '../../support/quality-testing-helpers'
import { priorSampler } from './latent-samplers'
import { TwoStageVae } from './two-stage-vae'

beforeAll(useWasm)

/** First-stage codes far from N(0, I): two tight clusters off-centre in 4 of 8 dimensions. */
function codes(): { mu: number[][]; logVar: number[][] } {
  const a = gaussianCloud(150, [2, 2, 0, 0, 0, 0, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.01, 0.01, 0.01, 0.01], 1)
  const b = gaussianCloud(150, [-2, 1, 1, 0, 0, 0, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.01, 0.01, 0.01, 0.01], 2)
  const mu = [...a, ...b]
  return { mu, logVar: mu.map(() => Array(8).fill(Math.log(0.01))) }
}

describe('second-stage VAE', () => {
  it(
    'learns to map N(0, I) onto the codes far better than the prior, reproducibly, without leaking tensors',
    { timeout: 120_000 },
    async () => {
      const { mu, logVar } = codes()
      const before = tf.memory().numTensors
      const vae = await TwoStageVae.train(mu, logVar, { seed: 1, steps: 800, hidden: 64 })
      const samples = vae.sample(500, 3)
      const fd = frechetDistance(samples, mu)
      const priorFd = frechetDistance(priorSampler(8).sample(500, 3), mu)
      console.info(
        `two-stage FD ${fd.toFixed(3)} vs prior ${priorFd.toFixed(3)}; γ = ${vae.gamma.toFixed(3)}; loss ${vae.history[0].loss.toFixed(1)} → ${vae.history.at(-1)!.loss.toFixed(1)}`
      )
      expect(fd).toBeLessThan(priorFd / 5)
      expect(vae.gamma).toBeLessThan(0.5)
      expect(vae.sample(4, 9, 0.8)).toEqual(vae.sample(4, 9, 0.8))
      // With decoder noise the draws spread by about γ around the decoded means.
      const noisy = vae.sample(500, 3, 1, true)
      const shift = noisy.flatMap((row, i) => row.map((v, j) => v - samples[i][j]))
      const rms = Math.sqrt(shift.reduce((s, v) => s + v * v, 0) / shift.length)
      expect(rms).toBeCloseTo(vae.gamma, 1)
      expect(frechetDistance(noisy, mu)).toBeLessThan(priorFd / 5)
      const again = await TwoStageVae.train(mu, logVar, { seed: 1, steps: 50, hidden: 16 })
      const twin = await TwoStageVae.train(mu, logVar, { seed: 1, steps: 50, hidden: 16 })
      expect(again.sample(3, 1)).toEqual(twin.sample(3, 1))
      vae.dispose()
      again.dispose()
      twin.dispose()
      expect(tf.memory().numTensors).toBe(before)
    }
  )
})
