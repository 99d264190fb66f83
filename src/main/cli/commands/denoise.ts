/** `vae-studio denoise`: spoils an image with noise and lets the model clean it, with PSNR and SSIM before and after. */
import * as path from 'node:path'
import type { NoiseSpec, StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand, imageNumbersNote } from '../command-spec'
import { formatNumber } from '../format'
import { imageNumberFlag, toRow } from '../image-numbers'
import { choiceFlag, numberFlag, parseCommand, required } from '../options'
import type { Reporter } from '../reporter'

export const denoiseCommand = defineCommand({
  name: 'denoise',
  summary: 'adds noise to an image and lets the model clean it: clean | noisy | denoised, with PSNR and SSIM',
  usage: '<project.vaeproj> --image <image#> --out result.png [--noise gaussian|salt-pepper|mask] [--amount 0.2] [--seed 1]',
  positionals: { min: 1, max: 1 },
  options: {
    image: { type: 'string', value: '<image#>', help: 'the image to spoil and clean' },
    out: { type: 'string', value: '<file.png>', help: 'clean, noisy and denoised side by side' },
    noise: { type: 'string', value: 'gaussian|salt-pepper|mask', help: 'the kind of damage (default gaussian)' },
    amount: { type: 'string', value: '<0–1>', help: 'how much: σ, share of pixels, or the mask’s side (default 0.2; 0.35 for mask)' },
    seed: { type: 'string', value: '<n>', help: 'the noise’s seed, to make the same damage again (default 1)' },
    backend: backendOption
  },
  notes: [imageNumbersNote]
})

export async function runDenoise(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, denoiseCommand)
  const number = required(imageNumberFlag('image', values.image), 'image', denoiseCommand)
  const out = path.resolve(required(values.out, 'out', denoiseCommand))
  const kind = choiceFlag('noise', values.noise, ['gaussian', 'salt-pepper', 'mask'] as const) ?? 'gaussian'
  const amount = numberFlag('amount', values.amount, { min: 0, max: 1 }) ?? (kind === 'mask' ? 0.35 : 0.2)
  const seed = numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 1
  const noise: NoiseSpec =
    kind === 'gaussian'
      ? { kind, sigma: amount }
      : kind === 'salt-pepper'
        ? { kind, amount }
        : { kind, x: (1 - amount) / 2, y: (1 - amount) / 2, width: amount, height: amount }
  const { imageCount } = await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const result = await studio.toolsDenoise({ index: toRow('image', number, imageCount), noise, seed })
  await studio.exportPng({ images: [result.clean, result.noisy, result.denoised], columns: 3, path: out })
  const { clean: _c, noisy: _n, denoised: _d, ...figures } = result
  reporter.record(
    'result',
    { out, image: number, ...figures },
    `wrote clean | noisy | denoised image ${number} to ${values.out}: PSNR ${formatNumber(result.psnrNoisy)} dB → ${formatNumber(result.psnrDenoised)} dB, SSIM ${formatNumber(result.ssimNoisy, 3)} → ${formatNumber(result.ssimDenoised, 3)}`
  )
}
