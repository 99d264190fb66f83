/**
 * Choosing a folder: a desktop app's native dialog (answered before it opens), or in a browser
 * the page's own chooser dialog. The page's dialog also asks a new project's name, in Electron
 * after the native one.
 */
import { expect, type Locator, type Page } from '@playwright/test'
import type { NativeDialogs } from '../fixtures/studio-page'

export class FolderChooser {
  readonly dialog: Locator
  readonly path: Locator
  readonly projectName: Locator
  readonly exportName: Locator
  /** The folders the studio can open, offered as shortcuts, and how to add another. */
  readonly places: Locator
  readonly howToAdd: Locator
  /** Why the folder typed cannot be shown. */
  readonly error: Locator
  /** The full path that choosing now would use (a new project or export folder). */
  readonly target: Locator
  readonly upButton: Locator
  readonly chooseButton: Locator
  private readonly goButton: Locator
  /** The shown folder's subfolders; busy while the chooser is still opening a folder. */
  private readonly folderList: Locator

  constructor(
    page: Page,
    private readonly answerFolder: NativeDialogs['answerFolder']
  ) {
    this.dialog = page.getByTestId('folder-chooser')
    this.path = page.getByTestId('chooser-path')
    this.projectName = page.getByTestId('chooser-name')
    this.exportName = page.getByTestId('chooser-export-name')
    this.places = this.dialog.getByRole('navigation', { name: 'Folders the studio can open' })
    this.howToAdd = page.getByTestId('chooser-how-to-add')
    this.error = page.getByTestId('chooser-error')
    this.target = page.getByTestId('chooser-target')
    this.upButton = this.dialog.getByRole('button', { name: 'Up', exact: true })
    this.goButton = page.getByTestId('chooser-go')
    this.folderList = this.dialog.getByRole('list', { name: 'Folders', exact: true })
    this.chooseButton = page.getByTestId('chooser-choose')
  }

  /** The shortcut to the place labelled `label` ("Home", "Allowed with --allow" …). */
  place(label: string): Locator {
    return this.places.getByRole('button', { name: new RegExp(`^${label}`) })
  }

  /** Types `folder` and presses Go, whether or not the studio may show it. */
  async tryPath(folder: string): Promise<void> {
    await this.opened()
    await this.path.fill(folder)
    await this.goButton.click()
  }

  /** True in a desktop app, where native dialogs pick folders. */
  get native(): boolean {
    return this.answerFolder !== null
  }

  /** Makes the next native folder dialog answer `folder`. */
  async answerNative(folder: string): Promise<void> {
    if (!this.answerFolder) throw new Error('no native dialogs in a browser')
    await this.answerFolder(folder)
  }

  /** Types `folder` into the page's chooser and goes there. */
  async goTo(folder: string): Promise<void> {
    await this.opened()
    await this.path.fill(folder)
    await this.goButton.click()
    await expect(this.path).toHaveValue(folder)
  }

  /** Waits, as a user looks, until the chooser shows the folder it opens in. */
  private async opened(): Promise<void> {
    await expect(this.folderList).toHaveAttribute('aria-busy', 'false')
  }

  /** Confirms the page's chooser and waits for it to close. */
  async choose(): Promise<void> {
    await this.chooseButton.click()
    await expect(this.dialog).toBeHidden()
  }

  /** The page asks a new project's name (after a native dialog picked its place): give it. */
  async nameProject(name: string): Promise<void> {
    await expect(this.dialog).toBeVisible()
    await this.projectName.fill(name)
    await this.chooseButton.click()
  }

  /** Clicks `button` and picks `folder` with whichever chooser opens; a new project is then named. */
  async pick(button: Locator, folder: string, projectName?: string): Promise<void> {
    if (this.native) await this.answerNative(folder)
    await button.click()
    if (this.native && projectName === undefined) return
    await expect(this.dialog).toBeVisible()
    if (!this.native) await this.goTo(folder)
    if (projectName !== undefined) await this.projectName.fill(projectName)
    await this.choose()
  }
}
