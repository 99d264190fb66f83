/** The Dataset view: importing a folder of images, what was imported, and a face in its source photo. */
import { expect, type Locator } from '@playwright/test'
import { View, type StudioContext } from './view'

export interface ImportChoices {
  size: 32 | 64 | 128
  /** Grayscale, Colour, or 'auto': grey when every image is (the studio's default). */
  gray: boolean | 'auto'
  /** Find and align every face (the studio's default), or import whole files (already aligned crops). */
  faces: boolean
}

export class DatasetView extends View {
  /** One line on what the dataset holds: "Imported N images …" after an import, "N faces in this project" otherwise. */
  readonly importResult: Locator
  /** What the studio says about how the import went, one sentence each ("These look like face crops already …"). */
  readonly importNotes: Locator
  /** "N images · W×H colour/grayscale". */
  readonly summary: Locator
  readonly thumbnails: Locator
  /** Files the import left out, each with its reason. */
  readonly skippedFiles: Locator
  /** The running import's progress bar (this window's import or another's). */
  readonly importProgress: Locator
  /** The selected face in its source photo, with every face boxed: a dialog. */
  readonly facePanel: Locator
  readonly facePhoto: Locator
  readonly faceLabels: Locator
  /** "Faces to review": the faces the detector was least sure of, least sure first. */
  readonly unsureFaces: Locator
  private readonly importCard: Locator
  private readonly importButton: Locator

  constructor(studio: StudioContext) {
    super(studio, 'dataset')
    this.importCard = this.region('Import images')
    this.importResult = this.byId('import-result')
    this.importNotes = this.importResult.getByRole('list', { name: 'About this import' }).getByRole('listitem')
    this.summary = this.byId('dataset-summary')
    this.thumbnails = this.byId('thumbnail')
    this.skippedFiles = this.region('Skipped files').getByRole('listitem')
    this.facePanel = this.page.getByRole('dialog', { name: /in its photo$/ })
    this.facePhoto = this.byId('face-photo')
    this.faceLabels = this.byId('face-labels')
    this.unsureFaces = this.region('Faces to review').getByRole('listitem')
    this.importButton = this.button('Choose folder…', this.importCard)
    this.importProgress = this.importCard.getByRole('progressbar', { name: 'Import progress' })
  }

  /** Imports `folder` as chosen and waits for the result. */
  async importFolder(folder: string, { size, gray, faces }: ImportChoices): Promise<void> {
    await this.open()
    await this.choose({ size, gray, faces })
    await this.studio.folderChooser.pick(this.importButton, folder)
    await expect(this.importResult).toContainText('Imported', { timeout: 240_000 })
  }

  /** Sets the import options without importing. */
  async choose({ size, gray, faces }: Partial<ImportChoices>): Promise<void> {
    const options = this.importCard.getByRole('group', { name: 'Import options' })
    if (size) await this.button(`${size} px`, options).click()
    if (gray !== undefined) await this.button(gray === 'auto' ? 'Automatic' : gray ? 'Grayscale' : 'Colour', options).click()
    if (faces !== undefined) await options.getByRole('checkbox', { name: /Find every face/ }).setChecked(faces)
  }

  /** Starts the project on `count` of the built-in demo faces, at `size` px. */
  async importDemo(count: number, size: 32 | 64 | 128): Promise<void> {
    await this.startDemo(count, size)
    await expect(this.importResult).toContainText(`Imported ${count} images`, { timeout: 120_000 })
  }

  /** Starts making `count` demo faces and returns while they are being made. */
  async startDemo(count: number, size: 32 | 64 | 128): Promise<void> {
    await this.open()
    await this.choose({ size })
    await this.numberField('Demo faces', this.importCard).fill(String(count))
    await this.button('Start on demo faces', this.importCard).click()
  }

  /** Cancels the running import (the Cancel beside its progress) and waits until it has stopped. */
  async cancelImport(): Promise<void> {
    await this.open()
    await this.button('Cancel', this.importCard).click()
    await expect(this.importProgress).toBeHidden()
  }

  /** Shows image `index` (from 0) in its source photo. */
  async showInPhoto(index: number): Promise<void> {
    await this.page
      .getByRole('region', { name: /^Imported images/ })
      .getByRole('button', { name: `Image ${index + 1}`, exact: true })
      .click()
    await expect(this.facePhoto).toBeVisible()
  }

  /** Opens the face the detector was least sure of (the first under "Faces to review"). */
  async reviewLeastSure(): Promise<void> {
    await this.unsureFaces.first().getByRole('button').click()
    await expect(this.facePhoto).toBeVisible()
  }

  /** Leaves the face shown (or its whole photo) out of the dataset. */
  async leaveOut(wholePhoto = false): Promise<void> {
    await this.button(wholePhoto ? 'Leave the whole photo out' : 'Leave this face out', this.facePanel).click()
    await expect(this.facePanel).toBeHidden()
  }

  /** Closes the source photo with Escape, as a keyboard user would. */
  async closePhoto(): Promise<void> {
    await this.page.keyboard.press('Escape')
    await expect(this.facePanel).toBeHidden()
  }

  /** Ctrl+Z on the Dataset view: brings back what was left out last. */
  async undoWithKeyboard(): Promise<void> {
    await this.page.getByRole('heading', { name: 'Dataset', exact: true }).click()
    await this.page.keyboard.press('Control+z')
  }
}
