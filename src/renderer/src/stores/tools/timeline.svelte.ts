/**
 * "Watch it learn": the same codes (fixed by a seed) decoded by every checkpoint the project
 * kept, oldest first, so the only change from row to row is the training.
 */
import type { StudioApi, TimelineFrame } from '../../../../shared/contract'
import { fieldLimits } from '../../lib/field-limits'
import { isValidNumber } from '../../lib/number-limits'
import { tileImages } from '../../lib/tile-images'
import type { Exporter } from '../exporter.svelte'
import type { Notices } from '../notices.svelte'

export class TimelineStore {
  count = $state(8)
  seed = $state(1)
  temperature = $state(1)
  frames = $state.raw<TimelineFrame[]>([])
  skipped = $state.raw<string[]>([])
  /** True once a timeline was built, so "no checkpoints" can be told apart from "not asked yet". */
  built = $state(false)
  busy = $state(false)

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices,
    private readonly exporter: Exporter
  ) {}

  valid = $derived(
    isValidNumber(this.count, fieldLimits.timelineCount) &&
      isValidNumber(this.seed, fieldLimits.seed) &&
      isValidNumber(this.temperature, fieldLimits.temperature)
  )

  async run(): Promise<void> {
    if (!this.valid) return
    const req = { count: this.count, seed: this.seed, temperature: this.temperature }
    this.busy = true
    try {
      const result = await this.notices.guard('Could not build the timeline', () => this.api.latentTimeline(req))
      if (!result) return
      this.frames = result.frames
      this.skipped = result.skipped
      this.built = true
    } finally {
      this.busy = false
    }
  }

  /** One row per checkpoint, as a PNG. */
  exportPng(): Promise<void> {
    const columns = this.frames[0]?.images.length ?? 1
    return this.exporter.exportImages(
      'timeline',
      this.frames.flatMap((f) => f.images),
      columns
    )
  }

  /** One frame per checkpoint, each the whole grid. */
  exportAnimation(format: 'gif' | 'webp'): Promise<void> {
    const frames = this.frames.map((f) => tileImages(f.images, Math.ceil(Math.sqrt(f.images.length))))
    return this.exporter.exportAnimation('timeline', frames, format, 600)
  }

  reset(): void {
    this.frames = []
    this.skipped = []
    this.built = false
  }
}
