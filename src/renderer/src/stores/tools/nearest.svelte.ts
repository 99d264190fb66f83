/**
 * The memorisation check: the training image closest (in pixels) to a generated image. A
 * distance near 0 means the model reproduces a training image rather than making a new face.
 */
import type { NearestResult, StudioApi } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import type { Notices } from '../notices.svelte'
import { LatestRequest } from '../../lib/latest-request'
import { PickSlot } from '../pick-slot.svelte'

export class NearestStore {
  readonly generated = new PickSlot('nearest-generated', 'Generated image', 'code', false)
  readonly slots = [this.generated]
  result = $state.raw<NearestResult | null>(null)
  busy = $state(false)
  private readonly requests = new LatestRequest()

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {}

  /** Checks an image made elsewhere (the latent canvas's current decode). */
  check(code: number[], image: RawImage, label: string): Promise<void> {
    this.generated.pick({ kind: 'code', code, image, label })
    return this.run()
  }

  async run(): Promise<void> {
    const ref = this.generated.ref
    const picked = this.generated.items
    if (!ref || !('code' in ref)) return
    const isLatest = this.requests.begin()
    this.busy = true
    try {
      const result = await this.notices.guard('Could not find the nearest training image', () => this.api.toolsNearest({ code: ref.code }))
      if (result && isLatest() && this.generated.items === picked) this.result = result
    } finally {
      if (isLatest()) this.busy = false
    }
  }

  picked(): void {
    void this.run()
  }

  reset(): void {
    this.generated.clear()
    this.result = null
  }
}
