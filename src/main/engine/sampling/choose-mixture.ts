/**
 * Picks the number of mixture components by held-out log-likelihood: each candidate is fitted to
 * most of the codes and scored on the rest (more components always fit the training codes better,
 * so only codes the fit has not seen can tell real structure from memorised points), then the
 * winner is refitted on every code.
 */
import { Rng } from '../random/rng'
import type { CovarianceKind } from './gaussian-mixture'
import { fitMixture, type FittedMixture } from './fit-mixture'
import { mixtureLogLikelihood } from './gaussian-mixture'

export interface ChooseMixtureOptions {
  covariance: CovarianceKind
  /** Component counts to try (default 1, 2, 4, 8, 16, 32; skipped where a component would get fewer than 5 codes, or d + 1 for full covariances). */
  candidates?: number[]
  /** Fraction of the codes held out for scoring (default 0.2). */
  validationFraction?: number
  seed?: number
  regularization?: number
  /**
   * Group of each point (e.g. the image several z draws came from): validation holds out whole
   * groups, since a draw scored against a fit that saw its siblings rewards memorising images.
   */
  groups?: readonly number[]
}

export interface MixtureChoice extends FittedMixture {
  components: number
  /** Held-out mean log-likelihood per code of every candidate tried. */
  scores: { components: number; heldOutLogLikelihood: number }[]
}

export function chooseMixture(points: readonly ArrayLike<number>[], options: ChooseMixtureOptions): MixtureChoice {
  const seed = options.seed ?? 0
  const groups = options.groups ?? points.map((_, i) => i)
  if (groups.length !== points.length) throw new Error(`got ${groups.length} group labels for ${points.length} points`)
  const ids = new Rng(seed).shuffle([...new Set(groups)])
  const held = new Set(ids.slice(0, Math.max(1, Math.floor(ids.length * (options.validationFraction ?? 0.2)))))
  const validation = points.filter((_, i) => held.has(groups[i]))
  const fitSet = points.filter((_, i) => !held.has(groups[i]))
  // A full covariance needs more than d points per component to be estimated at all.
  const perComponent = options.covariance === 'full' ? (points[0]?.length ?? 0) + 1 : 5
  const tried = (options.candidates ?? [1, 2, 4, 8, 16, 32]).filter((k) => k === 1 || k <= fitSet.length / perComponent)
  const scores = tried.map((components) => {
    const fitted = fitMixture(fitSet, { components, covariance: options.covariance, seed, regularization: options.regularization })
    return { components, heldOutLogLikelihood: mixtureLogLikelihood(fitted.mixture, validation) }
  })
  const best = scores.reduce((a, b) => (b.heldOutLogLikelihood > a.heldOutLogLikelihood ? b : a))
  const final = fitMixture(points, {
    components: best.components,
    covariance: options.covariance,
    seed,
    regularization: options.regularization
  })
  return { ...final, components: best.components, scores }
}
