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

type Scope = Pick<Page, 'getByRole'> | Locator

/**
 * A part of the window. Controls are found by role and accessible name, as a screen reader
 * finds them (so a control without a name fails the tests); `data-testid` only where no role or
 * name fits: canvases, image grids, plain read-outs.
 */
export abstract class Part {
  constructor(protected readonly studio: StudioContext) {}

  protected get page(): Page {
    return this.studio.page
  }

  /** A button by its name (exactly, for a string). */
  protected button(name: string | RegExp, scope: Scope = this.page): Locator {
    return scope.getByRole('button', { name, exact: typeof name === 'string' })
  }

  /** A number field by its label. */
  protected numberField(name: string | RegExp, scope: Scope = this.page): Locator {
    return scope.getByRole('spinbutton', { name, exact: typeof name === 'string' })
  }

  /** A section of the page by its heading or label. */
  protected region(name: string | RegExp, scope: Scope = this.page): Locator {
    return scope.getByRole('region', { name, exact: typeof name === 'string' })
  }

  protected byId(id: string): Locator {
    return this.page.getByTestId(id)
  }
}

export type ViewName = 'dataset' | 'train' | 'latent' | 'tools' | 'export'

const tabNames: Record<ViewName, string> = { dataset: 'Dataset', train: 'Train', latent: 'Latent space', tools: 'Tools', export: 'Export' }

/** One of the studio's views, opened by its tab. */
export abstract class View extends Part {
  /** The view's tab (aria-selected while it shows). */
  readonly tab: Locator

  constructor(studio: StudioContext, name: ViewName) {
    super(studio)
    this.tab = this.page.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: tabNames[name], exact: true })
  }

  async open(): Promise<void> {
    await this.tab.click()
  }
}
