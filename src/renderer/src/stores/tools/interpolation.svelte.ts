/**
 * Interpolation between two picked images: a strip of frames decoded along a straight line
 * (linear) or a great circle (spherical, which keeps the codes at the prior's typical norm),
 * exported as one PNG strip or as a looping animation.
 */
import type { Sample, StudioApi } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import { fieldLimits } from '../../lib/field-limits'
import { isValidNumber } from '../../lib/number-limits'
import { pingPong } from '../../lib/ping-pong'
import type { Exporter } from '../exporter.svelte'
import type { Notices } from '../notices.svelte'
import { PickSlot } from '../pick-slot.svelte'

export class InterpolationStore {
  readonly start = new PickSlot('interp-start', 'Start', 'any', false)
  readonly end = new PickSlot('interp-end', 'End', 'any', false)
  readonly slots = [this.start, this.end]
  mode = $state<'linear' | 'spherical'>('spherical')
  frames = $state(8)
  /** Back and forth in the animation, so its loop has no jump from the end to the start. */
  pingPong = $state(true)
  delayMs = $state(100)
  result = $state.raw<Sample | null>(null)
  busy = $state(false)

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices,
    private readonly exporter: Exporter
  ) {}

  ready = $derived(this.start.ref !== null && this.end.ref !== null)
  framesValid = $derived(isValidNumber(this.frames, fieldLimits.frames))
  delayValid = $derived(isValidNumber(this.delayMs, fieldLimits.frameTimeMs))
  animation = $derived.by((): RawImage[] => {
    const images = this.result?.images ?? []
    return this.pingPong ? pingPong(images) : images
  })

  async run(): Promise<void> {
    const a = this.start.ref
    const b = this.end.ref
    if (!a || !b || !this.framesValid) return
    const frames = this.frames
    this.busy = true
    try {
      const result = await this.notices.guard('Could not interpolate', () => this.api.latentInterpolate({ a, b, frames, mode: this.mode }))
      if (result) this.result = result
    } finally {
      this.busy = false
    }
  }

  picked(): void {
    if (this.ready) void this.run()
  }

  exportStrip(): Promise<void> {
    const images = this.result?.images ?? []
    return this.exporter.exportImages('interpolation', images, images.length)
  }

  async exportAnimation(format: 'gif' | 'webp'): Promise<void> {
    if (!this.delayValid) return
    return this.exporter.exportAnimation('interpolation', this.animation, format, this.delayMs)
  }

  reset(): void {
    this.start.clear()
    this.end.clear()
    this.result = null
  }
}
