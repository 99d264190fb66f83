/**
 * PNG export. The host lays the images out and encodes the PNG; in the desktop app it also asks
 * where to save, in serve mode it hands the bytes back and the browser downloads them.
 */
import type { EngineInfo, Sample, StudioApi } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { downloadBytes } from '../lib/download'
import type { Notices } from './notices.svelte'

export class Exporter {
  busy = $state(false)
  lastSaved = $state<string | null>(null)
  /** The sample grid offered for export, regenerated from its settings. */
  gridColumns = $state(8)
  gridRows = $state(8)
  gridTemperature = $state(1)
  gridSeed = $state(1)
  grid = $state.raw<Sample | null>(null)

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices,
    private readonly transport: () => EngineInfo['transport'] | null
  ) {}

  async exportImages(what: string, images: RawImage[], columns: number): Promise<void> {
    if (images.length === 0) return
    this.busy = true
    try {
      const req = { images, columns: Math.max(1, Math.min(columns, images.length, 64)) }
      const result = await this.notices.guard(`Could not export the ${what}`, () => this.api.exportPng(req))
      if (!result) return
      if (result.path) {
        this.lastSaved = result.path
        this.notices.info(`Saved the ${what}`, result.path)
      } else if (this.transport() === 'serve') {
        const name = `vae-studio-${what.replace(/\s+/g, '-')}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`
        downloadBytes(result.png, name, 'image/png')
        this.lastSaved = name
        this.notices.info(`Downloaded the ${what}`, name)
      }
      // In the desktop app a null path means the user cancelled the save dialog: nothing to say.
    } finally {
      this.busy = false
    }
  }

  async makeGrid(): Promise<void> {
    this.busy = true
    try {
      const req = { count: this.gridColumns * this.gridRows, temperature: this.gridTemperature, seed: this.gridSeed }
      const grid = await this.notices.guard('Could not sample the grid', () => this.api.modelSample(req))
      if (grid) this.grid = grid
    } finally {
      this.busy = false
    }
  }
}
