/** The Dataset view: importing a folder of images, what was imported, and a face in its source photo. */
import { expect, type Locator } from '@playwright/test'
import { View, type StudioContext } from './view'

export interface ImportChoices {
  size: 32 | 64 | 128
  gray: boolean
  /** Find and align every face (the studio's default), or import whole files (already aligned crops). */
  faces: boolean
}

export class DatasetView extends View {
  /** "Imported N images …" after an import. */
  readonly importResult: Locator
  /** "N faces found in M photos · …" after an import with face finding. */
  readonly facesSummary: Locator
  /** "N images · W×H colour/grayscale". */
  readonly summary: Locator
  readonly thumbnails: Locator
  /** Files the import left out, each with its reason. */
  readonly skippedFiles: Locator
  /** The selected face in its source photo, with every face boxed. */
  readonly facePanel: Locator
  readonly facePhoto: Locator
  readonly faceLabels: Locator
  private readonly importButton: Locator

  constructor(studio: StudioContext) {
    super(studio, 'dataset')
    this.importResult = this.byId('import-result')
    this.facesSummary = this.byId('import-faces-summary')
    this.summary = this.byId('dataset-summary')
    this.thumbnails = this.byId('thumbnail')
    this.skippedFiles = this.byId('skipped-file')
    this.facePanel = this.byId('face-panel')
    this.facePhoto = this.byId('face-photo')
    this.faceLabels = this.byId('face-labels')
    this.importButton = this.byId('import-folder')
  }

  /** Imports `folder` as chosen and waits for the result. */
  async importFolder(folder: string, { size, gray, faces }: ImportChoices): Promise<void> {
    await this.open()
    await this.byId(`import-size-${size}`).click()
    await this.byId(gray ? 'import-gray' : 'import-colour').click()
    await this.byId('import-faces').setChecked(faces)
    await this.studio.folderChooser.pick(this.importButton, folder)
    await expect(this.importResult).toBeVisible({ timeout: 240_000 })
  }

  /** Starts the project on `count` of the built-in demo faces, at `size` px. */
  async importDemo(count: number, size: 32 | 64 | 128): Promise<void> {
    await this.open()
    await this.byId(`import-size-${size}`).click()
    await this.byId('demo-count').fill(String(count))
    await this.byId('import-demo').click()
    await expect(this.importResult).toContainText(`Imported ${count} images`, { timeout: 120_000 })
  }

  /** Shows image `index` (from 0) in its source photo. */
  async showInPhoto(index: number): Promise<void> {
    await this.thumbnails.nth(index).click()
    await expect(this.facePhoto).toBeVisible()
  }

  /** Leaves the face shown (or its whole photo) out of the dataset. */
  async leaveOut(wholePhoto = false): Promise<void> {
    await this.byId(wholePhoto ? 'face-exclude-photo' : 'face-exclude').click()
    await expect(this.facePanel).toBeHidden()
  }
}
