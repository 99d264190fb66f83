/**
 * What every page object shares: the studio it belongs to (page, folder chooser, saved files,
 * screenshots) and, for the five views, the tab that opens them.
 */
import type { Locator, Page } from '@playwright/test'
import type { FolderChooser } from './folder-chooser'

/** The part of StudioPage its page objects use. */
export interface StudioContext {
  readonly page: Page
  readonly folderChooser: FolderChooser
  /** Clicks `button` and returns where the file it saves ended up (native save dialog or download). */
  saveFrom(button: Locator, name: string): Promise<string>
  /** A numbered screenshot kept with the test's output. */
  screenshot(name: string, part?: Locator): Promise<void>
}

/** A part of the window, found by its `data-testid`s. */
export abstract class Part {
  constructor(protected readonly studio: StudioContext) {}

  protected byId(id: string): Locator {
    return this.studio.page.getByTestId(id)
  }
}

export type ViewName = 'dataset' | 'train' | 'latent' | 'tools' | 'export'

/** One of the studio's views, opened by its tab. */
export abstract class View extends Part {
  /** The view's tab (aria-selected while it shows). */
  readonly tab: Locator

  constructor(studio: StudioContext, name: ViewName) {
    super(studio)
    this.tab = this.byId(`tab-${name}`)
  }

  async open(): Promise<void> {
    await this.tab.click()
  }
}
