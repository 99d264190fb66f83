/**
 * The model as a lossy codec: a picked image's latent code in bytes (float32 and float16) next
 * to the same image as PNG and JPEG, with the reconstruction's PSNR and SSIM.
 */
import type { CompressionResult, StudioApi } from '../../../../shared/contract'
import type { Notices } from '../notices.svelte'
import { LatestRequest } from '../../lib/latest-request'
import { PickSlot } from '../pick-slot.svelte'

export class CompressionStore {
  readonly image = new PickSlot('compression-image', 'Image', 'index', false)
  readonly slots = [this.image]
  result = $state.raw<CompressionResult | null>(null)
  busy = $state(false)
  private readonly requests = new LatestRequest()

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {}

  async run(): Promise<void> {
    const index = this.image.indices[0]
    if (index === undefined) return
    const isLatest = this.requests.begin()
    this.busy = true
    try {
      const result = await this.notices.guard('Could not measure the compression', () => this.api.toolsCompression({ index }))
      // Only the answer for the image still picked is shown.
      if (result && isLatest() && this.image.indices[0] === index) this.result = result
    } finally {
      if (isLatest()) this.busy = false
    }
  }

  picked(): void {
    void this.run()
  }

  reset(): void {
    this.image.clear()
    this.result = null
  }
}
