/**
 * The model options a person chooses, each with a label and one sentence saying what it does:
 * written once for the Train view's menus and the CLI's help and `info`.
 */
import type { DecoderKind, ReconKind, Sampling } from './config'

export interface Choice<T extends string> {
  value: T
  label: string
  help: string
}

export const decoderChoices: readonly Choice<DecoderKind>[] = [
  {
    value: 'upsample-conv',
    label: 'Resize, then convolve',
    help: 'Doubles the image by copying pixels and then convolving, so samples carry no block seams or checkerboards; about 30 % slower per step.'
  },
  {
    value: 'transposed-3x3',
    label: 'Transposed 3×3 (first decoder)',
    help: "The studio's first decoder: fastest, but its samples show 16-pixel block seams and fine checkerboards."
  }
]

/** Where generated faces' codes come from (engine sampling/code-sampler.ts; measured in test/experiments/sampling). */
export const samplingChoices: readonly Choice<Sampling>[] = [
  {
    value: 'fitted',
    label: "The faces' codes",
    help: "Codes drawn from a mixture fitted to the training faces' codes, where the decoder learned to draw faces: fewer blends and ghosts than the prior."
  },
  {
    value: 'prior',
    label: 'The prior N(0, I)',
    help: 'Codes drawn from the standard normal the model was pulled towards: wilder, with more blends between faces.'
  }
]

/**
 * The β each loss is at home with: what a new project starts with, and where β moves when the
 * loss is changed. The calibrated Gaussian weighs reconstruction by 1/(2σ²), about 100 per
 * squared error once faces are learned, so β 1 is a very weak KL there. Olivetti, 1000 and 2000
 * steps (test/experiments/sharp-faces): the Gaussian at β 16 beat binary cross-entropy at β 1 on
 * face FD, grid, sharpness, identity and PSNR; at β 1 and 4 its samples break up into stripes.
 */
export const suggestedBeta: Readonly<Record<ReconKind, number>> = { bce: 1, mse: 1, gaussian: 16 }

/** The order of magnitude of a loss's β (1 or 10): the β slider's scale and step follow it. */
export function betaUnit(recon: ReconKind): number {
  return 10 ** Math.floor(Math.log10(suggestedBeta[recon]))
}

/**
 * β once the loss changes from `from` to `to`: the new loss's own when β was the old one's (the
 * user had not chosen one), else the user's β, kept.
 */
export function betaForLoss(beta: number, from: ReconKind, to: ReconKind): number {
  return beta === suggestedBeta[from] ? suggestedBeta[to] : beta
}

/** The calibrated Gaussian below its β: samples from the prior break up (the view and the CLI say so). */
export function betaTooLow(recon: ReconKind, beta: number): boolean {
  return recon === 'gaussian' && beta < suggestedBeta.gaussian
}

export const reconChoices: readonly Choice<ReconKind>[] = [
  {
    value: 'gaussian',
    label: 'Calibrated Gaussian (σ-VAE)',
    help:
      `Learns how noisy the pixels are and weighs detail by it: sharper faces with fainter grid than binary cross-entropy, at β ${suggestedBeta.gaussian} ` +
      '(below it, samples break up); its loss, a log-likelihood, falls below zero as it learns.'
  },
  {
    value: 'bce',
    label: 'Binary cross-entropy',
    help: 'Pixels as probabilities: the studio’s first loss, steady at β = 1, with softer faces than the Gaussian.'
  },
  {
    value: 'mse',
    label: 'Mean squared error',
    help: 'Squared pixel error with a fixed weight: softer reconstructions, a latent space that is easy to sample.'
  }
]

/** The sharpen option's name and sentence, for the Train view, the CLI's help and `info`. */
export const sharpenChoice = {
  label: 'Sharpen (slower)',
  help: (after: number): string =>
    `From step ${after.toLocaleString('en')} a small critic judges the reconstructions: crisper eyes, mouths and glasses, a grainier skin, ` +
    'each step about a fifth slower. It backs off by itself if the reconstructions suffer.'
}

/** Why a backend without worker threads (tfjs-node, cpu) offers neither a thread count nor sharpening: one wording for the Train view, the CLI and the API. */
export const oneThreadBackend = "only the wasm backend trains on worker threads; this one trains on the engine's thread"

/** The sharpen refusal: the discriminator's Adam lives in the workers' shared memory. */
export const sharpenNeedsWorkers = `sharpening trains on worker threads: ${oneThreadBackend}`

/** Sharpened steps before the figures move much (sharpness .18 → .36–.50 after 250–500 of them: test/experiments/sharp-faces). */
export const sharpenShowsAfter = 500

/** A run that ends before sharpening has had `sharpenShowsAfter` steps: the Train view and the CLI say so. */
export function sharpenCutShort(endStep: number, after: number): boolean {
  return endStep < after + sharpenShowsAfter
}

/** The length offered instead: 1,000 sharpened steps, as measured. */
export function sharpenRunSteps(after: number): number {
  return after + 1000
}

/** What `info` and summaries say of the sharpen setting. */
export function describeSharpen(weight: number, after: number): string {
  return weight > 0 ? `sharpen at weight ${weight} from step ${after}` : 'sharpen off'
}

/** The label of a chosen value, for `info` and summaries. */
export function choiceLabel<T extends string>(choices: readonly Choice<T>[], value: T): string {
  return choices.find((c) => c.value === value)?.label ?? value
}
