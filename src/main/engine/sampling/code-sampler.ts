/**
 * Where the studio's sample codes come from. The decoder learned the codes its encoder gives the
 * training faces (the aggregate posterior), which N(0, I) covers only roughly: prior draws land
 * between and beside those codes and decode to blends. Drawing from a Gaussian mixture fitted to
 * the training faces' codes (μ; diagonal components, their number chosen by held-out likelihood)
 * lowered face FD by 12 % on Olivetti and 73 % on Frey after 2,000 steps, where lower prior
 * temperatures gained ≤ 0 % and 17 % (test/experiments/sampling/README.md). The fit is a pure
 * function of the weights and the rows, so the same seed gives the same faces after a reopen.
 */
import type { Sampling } from '../../../shared/config'
import { encodeRows, sampleCodes } from '../inference/inference'
import type { VaeModel } from '../model/vae-model'
import { sampleRows } from '../quality/faces-shown'
import type { DatasetPixels } from '../train/batch-builder'
import { chooseMixture } from './choose-mixture'
import { sampleMixture } from './gaussian-mixture'

export interface CodeSampler {
  /** 'prior': N(0, T²·I); 'fitted': the mixture fitted to `faces` training faces' codes. */
  readonly from: Sampling
  readonly components: number
  readonly faces: number
  /** `count` codes drawn with `seed`; the temperature scales the spread (of each component, for the mixture). */
  sample(count: number, temperature: number, seed: number): number[][]
}

/** Training faces the mixture is fitted to at most: ~1 s of encoding and fitting on one core at 64 px. */
export const fitCap = 1024

/** Below this many training faces the prior is used: a held-out fifth of fewer codes cannot choose a mixture. */
export const fewestToFit = 10

const fitSeed = 1

export function priorCodeSampler(latentDim: number): CodeSampler {
  return { from: 'prior', components: 1, faces: 0, sample: (count, temperature, seed) => sampleCodes(latentDim, count, temperature, seed) }
}

/** The mixture fitted to the codes of `trainRows` (at most `fitCap` of them, chosen with a fixed seed). */
export function fitCodeSampler(model: VaeModel, data: DatasetPixels, trainRows: readonly number[]): CodeSampler {
  if (trainRows.length < fewestToFit) return priorCodeSampler(model.config.latentDim)
  const rows = trainRows.length > fitCap ? sampleRows(trainRows.length, fitCap, fitSeed).map((i) => trainRows[i]) : trainRows
  const { mu } = encodeRows(model, data, rows)
  const { mixture, components } = chooseMixture(mu, { covariance: 'diag', seed: fitSeed })
  return {
    from: 'fitted',
    components,
    faces: rows.length,
    sample: (count, temperature, seed) => sampleMixture(mixture, count, seed, temperature)
  }
}
