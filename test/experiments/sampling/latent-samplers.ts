/**
 * Where sample codes come from. The prior N(0, I) is what the β-VAE was regularised towards, but
 * the decoder was trained on the aggregate posterior q(z) = mean over images of N(μ, σ²), which
 * the prior only approximates; these samplers draw from the prior, from q(z) itself, or from a
 * density fitted to codes (a Gaussian mixture here, a second-stage VAE in two-stage-vae.ts).
 * Every sampler is a pure function of (count, seed, temperature), so grids can be reproduced.
 */
import { sampleCodes } from '../../../src/main/engine/inference/inference'
import { Rng } from '../../../src/main/engine/random/rng'
import { sampleMixture, type GaussianMixture } from '../../../src/main/engine/sampling/gaussian-mixture'

/** Where sample codes come from; a pure function of (count, seed, temperature), so grids can be reproduced. */
export interface LatentSampler {
  readonly name: string
  readonly dim: number
  sample(count: number, seed: number, temperature?: number): number[][]
}

/** N(0, T²·I): draws exactly the codes `model:sample` draws for the same seed. */
export function priorSampler(dim: number): LatentSampler {
  return { name: 'prior', dim, sample: (count, seed, temperature = 1) => sampleCodes(dim, count, temperature, seed) }
}

export function mixtureSampler(name: string, mixture: GaussianMixture): LatentSampler {
  return { name, dim: mixture.dim, sample: (count, seed, temperature = 1) => sampleMixture(mixture, count, seed, temperature) }
}

/**
 * The aggregate posterior as an equal-weight mixture of the images' N(μᵢ, σᵢ²). Drawing from it is
 * "a random training image, re-encoded with noise", so its samples stay close to training faces.
 */
export function aggregatePosterior(mu: readonly number[][], logVar: readonly number[][]): GaussianMixture {
  if (mu.length === 0 || mu.length !== logVar.length) throw new Error('need one log-variance row per mean row')
  return {
    covariance: 'diag',
    dim: mu[0].length,
    weights: new Float64Array(mu.length).fill(1 / mu.length),
    means: mu.map((row) => Float64Array.from(row)),
    covariances: logVar.map((row) => Float64Array.from(row, Math.exp))
  }
}

/** `perImage` draws z = μ + σ·ε for every image: codes as the decoder saw them in training. */
export function posteriorCodes(mu: readonly number[][], logVar: readonly number[][], perImage: number, seed: number): number[][] {
  const rng = new Rng(seed)
  const codes: number[][] = []
  for (let r = 0; r < perImage; r++) {
    mu.forEach((m, i) => codes.push(m.map((v, j) => v + Math.exp(0.5 * logVar[i][j]) * rng.normal())))
  }
  return codes
}
