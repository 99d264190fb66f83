/**
 * Exports. The host encodes the files; in the desktop app it also asks where to save (a returned
 * path means saved, none means the user cancelled), in serve mode it hands the bytes back and
 * the browser downloads them.
 */
import { defaultSampling, type Sampling } from '../../../shared/config'
import type { ExportedModel, Sample, StudioApi } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { StudioError } from '../../../shared/errors'
import { downloadBytes } from '../lib/download'
import { exportFileName } from '../lib/export-name'
import { fieldLimits } from '../lib/field-limits'
import { isValidNumber } from '../lib/number-limits'
import type { Notices } from './notices.svelte'
import type { ProjectChange, StoreEvents, StudioStore } from './store-events'

const mimeTypes = { png: 'image/png', gif: 'image/gif', webp: 'image/webp' } as const
type FileKind = keyof typeof mimeTypes

export class Exporter implements StudioStore {
  busy = $state(false)
  lastSaved = $state<string | null>(null)
  /** The sample grid offered for export, regenerated from its settings. */
  gridColumns = $state(8)
  gridRows = $state(8)
  gridTemperature = $state(1)
  gridSeed = $state(1)
  gridCodesFrom = $state<Sampling>(defaultSampling)
  grid = $state.raw<Sample | null>(null)
  /** The last TensorFlow.js model export of this session. */
  model = $state.raw<ExportedModel | null>(null)
  /** Generated faces as files: how many, how they are drawn, and how far a running export is. */
  sampleCount = $state(256)
  sampleTemperature = $state(1)
  sampleSeed = $state(1)
  sampleCodesFrom = $state<Sampling>(defaultSampling)
  samplesProgress = $state.raw<{ done: number; total: number } | null>(null)
  exportingSamples = $state(false)
  samplesFolder = $state<string | null>(null)

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices,
    /** The desktop app saves exports itself; a browser gets the bytes as a download. */
    private readonly desktop: boolean
  ) {}

  /** The settings as the engine will take them: the buttons stay disabled while a field is out of range. */
  samplesValid = $derived(
    isValidNumber(this.sampleCount, fieldLimits.exportCount) &&
      isValidNumber(this.sampleTemperature, fieldLimits.temperature) &&
      isValidNumber(this.sampleSeed, fieldLimits.seed)
  )
  gridValid = $derived(
    isValidNumber(this.gridColumns, fieldLimits.gridSide) &&
      isValidNumber(this.gridRows, fieldLimits.gridSide) &&
      isValidNumber(this.gridTemperature, fieldLimits.temperature) &&
      isValidNumber(this.gridSeed, fieldLimits.seed)
  )

  readonly events: StoreEvents = { 'export:progress': (p) => this.onSamplesProgress(p) }

  /** The grid was sampled from the model as it was; the exported model folder belongs to its project. */
  reset(change: ProjectChange): void {
    if (change.kind === 'updated') return
    this.grid = null
    if (change.kind === 'switched') this.model = null
  }

  async exportImages(what: string, images: RawImage[], columns: number): Promise<void> {
    if (images.length === 0) return
    const req = { images, columns: Math.max(1, Math.min(columns, images.length, 64)) }
    await this.run(what, 'png', () => this.api.exportPng(req))
  }

  /** A looping animation (`loop: 0` plays forever), as GIF for reach or lossless WebP. */
  async exportAnimation(what: string, frames: RawImage[], format: 'gif' | 'webp', delayMs: number): Promise<void> {
    if (frames.length === 0) return
    const req = { frames, format, delayMs: Math.round(Math.min(10_000, Math.max(10, delayMs))), loop: 0 }
    await this.run(what, format, () => this.api.exportAnimation(req))
  }

  /** The image decoded from `code`, as a PNG that carries the code (import it back to continue). */
  async exportCodePng(what: string, code: number[], seed?: number): Promise<void> {
    await this.run(what, 'png', () => this.api.exportCodePng(seed === undefined ? { code } : { code, seed }))
  }

  /** Writes the encoder and decoder as TensorFlow.js layers models into `folder`. */
  async exportModel(folder: string): Promise<void> {
    this.busy = true
    try {
      const model = await this.notices.guard('Could not export the model', () => this.api.exportModel({ folder }))
      if (!model) return
      this.model = model
      this.lastSaved = model.folder
      this.notices.info('Exported the model', model.folder)
    } finally {
      this.busy = false
    }
  }

  /** Writes `sampleCount` generated faces into `folder` (new or empty): one PNG each and a manifest. */
  async exportSamples(folder: string): Promise<void> {
    if (!this.samplesValid) return
    this.exportingSamples = true
    this.samplesProgress = { done: 0, total: this.sampleCount }
    try {
      const req = {
        folder,
        count: this.sampleCount,
        temperature: this.sampleTemperature,
        seed: this.sampleSeed,
        sampling: this.sampleCodesFrom
      }
      const written = await this.api.exportSamples(req).catch((err: unknown) => {
        if (err instanceof StudioError && err.code === 'cancelled') this.notices.info('Export cancelled', 'Nothing was written.')
        else this.notices.error('Could not export the generated faces', err)
        return null
      })
      if (!written) return
      this.samplesFolder = written.folder
      this.notices.info(`Exported ${written.count} generated faces`, written.folder)
    } finally {
      this.exportingSamples = false
      this.samplesProgress = null
    }
  }

  onSamplesProgress(progress: { done: number; total: number }): void {
    if (this.exportingSamples) this.samplesProgress = progress
  }

  async cancelSamples(): Promise<void> {
    await this.notices.guard('Could not cancel the export', () => this.api.exportCancel())
  }

  async makeGrid(): Promise<void> {
    if (!this.gridValid) return
    this.busy = true
    try {
      const req = {
        count: this.gridColumns * this.gridRows,
        temperature: this.gridTemperature,
        seed: this.gridSeed,
        sampling: this.gridCodesFrom
      }
      const grid = await this.notices.guard('Could not sample the grid', () => this.api.modelSample(req))
      if (grid) this.grid = grid
    } finally {
      this.busy = false
    }
  }

  private async run(what: string, kind: FileKind, action: () => Promise<{ path: string | null; bytes: Uint8Array }>): Promise<void> {
    this.busy = true
    try {
      const result = await this.notices.guard(`Could not export the ${what}`, action)
      if (!result) return
      if (result.path) {
        this.lastSaved = result.path
        this.notices.info(`Saved the ${what}`, result.path)
      } else if (!this.desktop) {
        const name = exportFileName(what, kind)
        downloadBytes(result.bytes, name, mimeTypes[kind])
        this.lastSaved = name
        this.notices.info(`Downloaded the ${what}`, name)
      }
      // In the desktop app a null path means the user cancelled the save dialog: nothing to say.
    } finally {
      this.busy = false
    }
  }
}
