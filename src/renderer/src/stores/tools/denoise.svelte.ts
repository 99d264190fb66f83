/**
 * Denoising by the autoencoder: corrupt a dataset image (Gaussian noise, salt and pepper, or a
 * masked rectangle), pass it through the model, and compare PSNR/SSIM against the clean image
 * before and after. Settings apply as they change (one request in flight, always the latest).
 */
import type { DenoiseResult, NoiseSpec, StudioApi } from '../../../../shared/contract'
import { fieldLimits } from '../../lib/field-limits'
import { LatestOnly } from '../../lib/latest-only'
import { isValidNumber } from '../../lib/number-limits'
import type { Notices } from '../notices.svelte'
import { PickSlot } from '../pick-slot.svelte'

export type NoiseKind = NoiseSpec['kind']

interface DenoiseRequest {
  index: number
  noise: NoiseSpec
  seed: number
}

export class DenoiseStore {
  readonly image = new PickSlot('denoise-image', 'Image', 'index', false)
  readonly slots = [this.image]
  kind = $state<NoiseKind>('gaussian')
  sigma = $state(0.2)
  amount = $state(0.1)
  /** The masked rectangle, as fractions of the image's width and height. */
  mask = $state({ x: 0.25, y: 0.45, width: 0.5, height: 0.25 })
  seed = $state(1)
  result = $state.raw<DenoiseResult | null>(null)
  private readonly runner: LatestOnly<DenoiseRequest, DenoiseResult>

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {
    this.runner = new LatestOnly(
      (req) => this.api.toolsDenoise(req),
      (result) => (this.result = result),
      (err) => this.notices.error('Could not denoise', err)
    )
  }

  /** A plain object (no state proxy), ready to cross IPC. */
  noise = $derived.by((): NoiseSpec => {
    if (this.kind === 'gaussian') return { kind: 'gaussian', sigma: this.sigma }
    if (this.kind === 'salt-pepper') return { kind: 'salt-pepper', amount: this.amount }
    return { kind: 'mask', ...$state.snapshot(this.mask) }
  })

  /** Runs with the current settings; called on every settings change once an image is picked. */
  run(): void {
    const index = this.image.indices[0]
    if (index === undefined || !isValidNumber(this.seed, fieldLimits.denoiseSeed)) return
    this.runner.push({ index, noise: this.noise, seed: this.seed })
  }

  picked(): void {
    this.run()
  }

  reset(): void {
    this.image.clear()
    this.result = null
  }
}
