/** The Export view: the current image as a PNG carrying its code, importing one back, generated faces as files, the TensorFlow.js model. */
import { expect, type Locator } from '@playwright/test'
import { View, type StudioContext } from './view'

export class ExportView extends View {
  /** What the model export wrote, and where. */
  readonly modelResult: Locator
  /** The folder the generated faces went to. */
  readonly samplesResult: Locator
  /** "Generated faces as files": how many, temperature, seed, where the codes come from, and the export button. */
  readonly samples: {
    readonly card: Locator
    readonly count: Locator
    readonly temperature: Locator
    readonly seed: Locator
    readonly codesFrom: Locator
    readonly exportButton: Locator
  }

  constructor(studio: StudioContext) {
    super(studio, 'export')
    const card = this.region('Generated faces as files')
    this.samples = {
      card,
      count: this.numberField('How many', card),
      temperature: this.numberField('Temperature', card),
      seed: this.numberField('Seed', card),
      codesFrom: card.getByLabel('Codes from'),
      exportButton: this.button(/^Export \d+ faces…$/, card)
    }
    this.modelResult = this.byId('export-model-result')
    this.samplesResult = this.byId('samples-result')
  }

  /** Exports the latent canvas's image as a PNG with its code; returns where it was saved. */
  async exportCurrent(name: string): Promise<string> {
    return this.studio.saveFrom(this.button('Export PNG…', this.region('Current image')), name)
  }

  /** Imports a PNG exported with its code (the studio then shows it on the latent canvas). */
  async importCodePng(name: string, buffer: Buffer): Promise<void> {
    await this.region('Continue from a PNG').getByLabel('PNG with a latent code').setInputFiles({ name, mimeType: 'image/png', buffer })
  }

  /**
   * Exports the TensorFlow.js model into a new folder `name` inside `parent` and returns it. In a
   * browser the page's chooser names the folder; a native dialog is answered with it directly.
   */
  async exportModel(parent: string, name: string): Promise<string> {
    return this.intoNewFolder(this.button('Export TensorFlow.js model…', this.region('Model')), parent, name, 'model-folder')
  }

  /** Asks for `count` generated faces as files: the folder chooser (or a native dialog) opens. */
  async askForSamples(count: number): Promise<void> {
    await this.open()
    await this.samples.count.fill(String(count))
    await this.samples.exportButton.click()
  }

  /** Exports `count` generated faces into a new folder `name` inside `parent` and returns it. */
  async exportSamples(parent: string, name: string, count: number): Promise<string> {
    await this.samples.count.fill(String(count))
    const folder = await this.intoNewFolder(this.samples.exportButton, parent, name)
    await expect(this.samplesResult).toHaveText(folder, { timeout: 120_000 })
    return folder
  }

  private async intoNewFolder(button: Locator, parent: string, name: string, screenshot?: string): Promise<string> {
    const folder = `${parent}/${name}`
    const chooser = this.studio.folderChooser
    if (chooser.native) await chooser.answerNative(folder)
    await button.click()
    if (!chooser.native) {
      await expect(chooser.dialog).toBeVisible()
      await chooser.goTo(parent)
      await chooser.exportName.fill(name)
      if (screenshot) await this.studio.screenshot(screenshot)
      await chooser.choose()
    }
    return folder
  }
}
