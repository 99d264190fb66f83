/**
 * The model options a person chooses, each with a label and one sentence saying what it does:
 * written once for the Train view's menus and the CLI's help and `info`.
 */
import type { DecoderKind, ModelConfig } from './config'

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

/**
 * The β the calibrated Gaussian wants: it weighs reconstruction by 1/(2σ²), about 100 per squared
 * error once faces are learned, so β 1 is a very weak KL. Olivetti, 1000 and 2000 steps
 * (test/experiments/sharp-faces): β 16 beat binary cross-entropy at β 1 on face FD, grid,
 * sharpness, identity and PSNR; β 1 and 4 gave samples that break up into stripes.
 */
export const gaussianBeta = 16

export const reconChoices: readonly Choice<ModelConfig['recon']>[] = [
  {
    value: 'bce',
    label: 'Binary cross-entropy',
    help: 'Pixels as probabilities: the steadiest choice, and the best samples from the prior at β = 1.'
  },
  {
    value: 'mse',
    label: 'Mean squared error',
    help: 'Squared pixel error with a fixed weight: softer reconstructions, a latent space that is easy to sample.'
  },
  {
    value: 'gaussian',
    label: 'Calibrated Gaussian (σ-VAE)',
    help:
      `Learns how noisy the pixels are and weighs detail by it: sharper faces with fainter grid than binary cross-entropy at β ${gaussianBeta}; ` +
      'at β 1–4 samples from the prior break up. It measures the noise on each training thread’s share of a batch, so another thread count gives a slightly different run.'
  }
]

/** The label of a chosen value, for `info` and summaries. */
export function choiceLabel<T extends string>(choices: readonly Choice<T>[], value: T): string {
  return choices.find((c) => c.value === value)?.label ?? value
}
