/** The Dataset view: importing a folder of images and what was imported. */
import { expect, type Locator } from '@playwright/test'
import { View, type StudioContext } from './view'

export class DatasetView extends View {
  /** "Imported N images …" after an import. */
  readonly importResult: Locator
  /** "N images · W×H colour/grayscale". */
  readonly summary: Locator
  readonly thumbnails: Locator
  /** Files the import left out, each with its reason. */
  readonly skippedFiles: Locator
  private readonly importButton: Locator

  constructor(studio: StudioContext) {
    super(studio, 'dataset')
    this.importResult = this.byId('import-result')
    this.summary = this.byId('dataset-summary')
    this.thumbnails = this.byId('thumbnail')
    this.skippedFiles = this.byId('skipped-file')
    this.importButton = this.byId('import-folder')
  }

  /** Imports `folder` at `size` px, in grayscale or colour, and waits for the result. */
  async importFolder(folder: string, size: 32 | 64 | 128, gray: boolean): Promise<void> {
    await this.open()
    await this.byId(`import-size-${size}`).click()
    await this.byId(gray ? 'import-gray' : 'import-colour').click()
    await this.studio.folderChooser.pick(this.importButton, folder)
    await expect(this.importResult).toBeVisible({ timeout: 120_000 })
  }
}
