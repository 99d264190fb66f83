/** Importing images into the open project, and browsing what was imported. */
import type { FaceDetail, ImportResult, ProjectSummary, SkippedFile, StudioApi } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { fieldLimits } from '../lib/field-limits'
import { LatestRequest } from '../lib/latest-request'
import { isValidNumber } from '../lib/number-limits'
import { defaultImportOptions, type ImportOptions } from '../../../shared/config'
import type { ImportProgress } from '../../../shared/events'
import type { Notices } from './notices.svelte'
import type { ProjectStore } from './project.svelte'
import type { ProjectChange, StoreEvents, StudioStore } from './store-events'
import { ThumbnailCache } from './thumbnail-cache.svelte'

/** Detections scored below this are flagged "unsure" for review. */
export const unsureBelow = 0.6

export class DatasetStore implements StudioStore {
  options = $state<ImportOptions>({ ...defaultImportOptions })
  demoCount = $state(1000)
  /** The demo is generated from a seed, so the same faces come back for the same count. */
  demoSeed = $state(1)
  /** This page's own import (or leaving images out) is running. */
  private started = $state(false)
  progress = $state<ImportProgress | null>(null)
  /**
   * An import into the open project is running: this page's, or one begun elsewhere (the demo
   * faces the studio makes at first start, another window in serve mode). Its progress shows
   * and the import buttons wait, as for the page's own.
   */
  importing = $derived(this.started || (this.progress !== null && this.progress.ended !== true))
  result = $state<ImportResult | null>(null)
  skipped = $state<SkippedFile[]>([])
  /** Images in the project's dataset; the grid's length. */
  count = $state(0)
  source = $state<string | null>(null)
  /** The images are faces found at import: each can be shown in its photo and left out. */
  faces = $state(false)
  /** The folder imported last, for importing it again another way. */
  lastFolder = $state<string | null>(null)
  /** The image the user is looking at in its source photo. */
  selected = $state<number | null>(null)
  detail = $state.raw<FaceDetail | null>(null)
  /** The face detector's score per row (null: imported whole), for reviewing unsure faces first. */
  scores = $state.raw<Array<number | null>>([])
  /** What each exclusion of this session left out (named for the notices), and its notice; newest last. */
  exclusions = $state.raw<Array<{ what: string; notice: number }>>([])
  readonly thumbnails: ThumbnailCache
  private readonly details = new LatestRequest()

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices,
    private readonly project: ProjectStore
  ) {
    this.thumbnails = new ThumbnailCache(api, (err) => notices.error('Could not load thumbnails', err))
  }

  /** The import and demo settings within the engine's limits: their buttons wait until they are. */
  optionsValid = $derived(isValidNumber(this.options.faces.minFaceSize, fieldLimits.minFaceSize))
  demoValid = $derived(isValidNumber(this.demoCount, fieldLimits.demoCount))

  /** Faces the detector was unsure of, least sure first: what to review before training. */
  unsure = $derived(
    this.scores.flatMap((score, row) => (score !== null && score < unsureBelow ? [{ row, score }] : [])).sort((a, b) => a.score - b.score)
  )

  /** Percent of the current import, for the progress bar. */
  percent = $derived(this.progress && this.progress.total > 0 ? (100 * this.progress.done) / this.progress.total : 0)

  readonly events: StoreEvents = { 'dataset:progress': (p) => this.onProgress(p) }

  onProgress(progress: ImportProgress): void {
    this.progress = progress
  }

  reset(change: ProjectChange): Promise<void> {
    if (change.kind === 'switched') this.exclusions = []
    return change.kind === 'updated' ? this.projectUpdated(change.project) : this.projectOpened(change.project)
  }

  private async projectOpened(project: ProjectSummary | null): Promise<void> {
    this.count = project?.imageCount ?? 0
    this.source = project?.source ?? null
    this.faces = project?.faces ?? false
    this.clearSelection()
    this.result = null
    this.progress = null
    // The next import keeps the project's image size; its colour is chosen anew (Automatic unless the user chose).
    if (project && project.imageCount > 0) this.options = { ...this.options, size: project.imageSize as ImportOptions['size'] }
    this.thumbnails.reset(this.count)
    // A project without images has no import to report on yet.
    if (project && project.imageCount > 0) await this.loadIndex()
    else {
      this.skipped = []
      this.scores = []
    }
  }

  /** What the dataset's index says beyond the count: skipped files, and the detector's scores. */
  private async loadIndex(): Promise<void> {
    const [skipped, scores] = await Promise.all([
      this.notices.guard('Could not list skipped files', () => this.api.datasetSkipped()),
      this.faces ? this.notices.guard('Could not read the face scores', () => this.api.datasetScores()) : Promise.resolve([])
    ])
    this.skipped = skipped ?? []
    this.scores = scores ?? []
  }

  /** The same project got new images (an import another client started): the grid follows. */
  private async projectUpdated(project: ProjectSummary | null): Promise<void> {
    if (!project || (project.imageCount === this.count && project.source === this.source)) return
    this.count = project.imageCount
    this.source = project.source
    this.faces = project.faces
    this.clearSelection()
    this.thumbnails.reset(this.count)
    await this.loadIndex()
  }

  async importFolder(folder: string): Promise<void> {
    if (!this.optionsValid) return
    this.lastFolder = folder
    const options = $state.snapshot(this.options)
    const imported = await this.runImport('Import failed', () => this.api.datasetImport({ folder, options }))
    // The next project starts from the options that worked for this one.
    if (imported) await this.notices.guard('Could not save the import options', () => this.api.settingsSet({ lastImportOptions: options }))
  }

  /** Most photos had no face: the same folder again, whole files this time. */
  async importWholeFiles(): Promise<void> {
    if (!this.lastFolder) return
    this.options = { ...this.options, faces: { ...this.options.faces, find: false } }
    await this.importFolder(this.lastFolder)
  }

  /** Stops the running import; the dataset stays as it was. */
  async cancelImport(): Promise<void> {
    await this.notices.guard('Could not cancel the import', () => this.api.datasetCancel())
  }

  /** Shows image `index` in its source photo (face imports); a newer pick replaces a slower one. */
  async select(index: number): Promise<void> {
    const isLatest = this.details.begin()
    this.selected = index
    this.detail = null
    const detail = await this.notices.guard('Could not show the source photo', () => this.api.datasetFace({ index }))
    if (isLatest() && detail) this.detail = detail
  }

  clearSelection(): void {
    this.details.begin()
    this.selected = null
    this.detail = null
  }

  /** Leaves the selected face (or every face of its photo) out of the dataset; Undo brings it back. */
  async exclude(wholePhoto: boolean): Promise<void> {
    const index = this.selected
    if (index === null) return
    const what = this.describe(index, wholePhoto)
    const title = wholePhoto ? 'Could not leave the photo out' : 'Could not leave the face out'
    if (await this.runImport(title, () => this.api.datasetExclude({ indices: [index], wholePhotos: wholePhoto }), false)) {
      const notice = this.notices.info(wholePhoto ? 'Photo left out' : 'Face left out', `${what} left out by you.`, {
        label: 'Undo',
        run: () => void this.undoExclude()
      })
      this.exclusions = [...this.exclusions, { what, notice }]
    }
  }

  /** Brings back what the latest exclusion left out (Undo, Ctrl+Z). */
  async undoExclude(): Promise<void> {
    if (this.importing || this.exclusions.length === 0) return
    const { what, notice } = this.exclusions[this.exclusions.length - 1]
    if (await this.runImport('Could not bring it back', () => this.api.datasetUndoExclude(), false)) {
      this.exclusions = this.exclusions.slice(0, -1)
      this.notices.dismiss(notice)
      this.notices.info('Brought back', `${what} is in the dataset again.`)
    }
  }

  /** "face 2 of photo_002.jpg", "photo_002.jpg (3 faces)", or "image 5" where the photo is not known. */
  private describe(index: number, wholePhoto: boolean): string {
    const detail = this.detail
    if (!detail) return `image ${index + 1}`
    if (wholePhoto) {
      const kept = detail.faces.filter((f) => f.row !== null).length
      return `${detail.file} (${kept === 1 ? '1 face' : `${kept} faces`})`
    }
    const face = detail.faces.find((f) => f.row === index)
    return face && detail.faces.length > 1 ? `face ${face.n} of ${detail.file}` : detail.file
  }

  async importDemo(): Promise<void> {
    if (!this.demoValid) return
    // The demo faces are drawn at the chosen image size (always in colour).
    await this.runImport('Could not create the demo faces', () =>
      this.api.datasetDemo({ count: this.demoCount, seed: this.demoSeed, size: this.options.size })
    )
  }

  /**
   * True when the import succeeded. Leaving images out (and undoing it) rewrites the dataset like
   * an import but is no import to report: its result is not shown as one (`report: false`).
   */
  private async runImport(title: string, action: () => Promise<ImportResult>, report = true): Promise<boolean> {
    this.started = true
    this.progress = null
    this.result = null
    try {
      const result = await action().catch((err: unknown) => {
        // Cancelling is what the user asked for: said, not shown as an error.
        if (err instanceof StudioError && err.code === 'cancelled') this.notices.info('Import cancelled', 'The dataset is as it was.')
        else this.notices.error(title, err)
        return undefined
      })
      if (!result) return false
      this.clearSelection()
      this.result = report ? result : null
      // The summary (image count, size, source) changed with the import.
      await this.project.refresh()
      this.count = this.project.current?.imageCount ?? result.imported
      this.source = this.project.current?.source ?? null
      this.faces = this.project.current?.faces ?? this.faces
      this.thumbnails.reset(this.count)
      await this.loadIndex()
      return true
    } finally {
      // Over, whether or not its last report has arrived yet.
      this.started = false
      this.progress = null
    }
  }
}
