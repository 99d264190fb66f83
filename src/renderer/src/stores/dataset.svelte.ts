/** Importing images into the open project, and browsing what was imported. */
import type { ImportResult, ProjectSummary, SkippedFile, StudioApi } from '../../../shared/contract'
import { defaultImportOptions, type ImportOptions } from '../../../shared/config'
import type { ImportProgress } from '../../../shared/events'
import type { Notices } from './notices.svelte'
import type { ProjectStore } from './project.svelte'
import { ThumbnailCache } from './thumbnail-cache.svelte'

export class DatasetStore {
  options = $state<ImportOptions>({ ...defaultImportOptions })
  demoCount = $state(1000)
  /** The demo is generated from a seed, so the same faces come back for the same count. */
  demoSeed = $state(1)
  importing = $state(false)
  progress = $state<ImportProgress | null>(null)
  result = $state<ImportResult | null>(null)
  skipped = $state<SkippedFile[]>([])
  /** Images in the project's dataset; the grid's length. */
  count = $state(0)
  source = $state<string | null>(null)
  readonly thumbnails: ThumbnailCache

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices,
    private readonly project: ProjectStore
  ) {
    this.thumbnails = new ThumbnailCache(api, (err) => notices.error('Could not load thumbnails', err))
  }

  /** Percent of the current import, for the progress bar. */
  percent = $derived(this.progress && this.progress.total > 0 ? (100 * this.progress.done) / this.progress.total : 0)

  onProgress(progress: ImportProgress): void {
    this.progress = progress
  }

  async projectOpened(project: ProjectSummary | null): Promise<void> {
    this.count = project?.imageCount ?? 0
    this.source = project?.source ?? null
    this.result = null
    this.progress = null
    if (project && project.imageCount > 0) {
      this.options = { ...this.options, size: project.imageSize as ImportOptions['size'], channels: project.channels }
    }
    this.thumbnails.reset(this.count)
    // A project without images has no import to report on yet.
    this.skipped = project && project.imageCount > 0 ? ((await this.notices.guard('Could not list skipped files', () => this.api.datasetSkipped())) ?? []) : []
  }

  /** The same project got new images (an import another client started): the grid follows. */
  async projectChanged(project: ProjectSummary | null): Promise<void> {
    if (!project || (project.imageCount === this.count && project.source === this.source)) return
    this.count = project.imageCount
    this.source = project.source
    this.thumbnails.reset(this.count)
    this.skipped = (await this.notices.guard('Could not list skipped files', () => this.api.datasetSkipped())) ?? []
  }

  async importFolder(folder: string): Promise<void> {
    const options = $state.snapshot(this.options)
    const imported = await this.runImport('Import failed', () => this.api.datasetImport({ folder, options }))
    // The next project starts from the options that worked for this one.
    if (imported) await this.notices.guard('Could not save the import options', () => this.api.settingsSet({ lastImportOptions: options }))
  }

  async importDemo(): Promise<void> {
    // The demo faces are drawn at the chosen image size (always in colour).
    await this.runImport('Could not create the demo faces', () => this.api.datasetDemo({ count: this.demoCount, seed: this.demoSeed, size: this.options.size }))
  }

  /** True when the import succeeded. */
  private async runImport(title: string, action: () => Promise<ImportResult>): Promise<boolean> {
    this.importing = true
    this.progress = null
    this.result = null
    try {
      const result = await this.notices.guard(title, action)
      if (!result) return false
      this.result = result
      this.skipped = result.skipped
      // The summary (image count, size, source) changed with the import.
      await this.project.refresh()
      this.count = this.project.current?.imageCount ?? result.imported
      this.source = this.project.current?.source ?? null
      this.thumbnails.reset(this.count)
      return true
    } finally {
      this.importing = false
    }
  }
}
