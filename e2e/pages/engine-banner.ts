/** The banner shown when the engine process crashed: why, what the studio did, and a restart. */
import type { Locator } from '@playwright/test'
import { Part, type StudioContext } from './view'

export class EngineBanner extends Part {
  /** The banner itself; its data-state is 'ready' once a fresh engine runs, 'stopped' when the studio gave up. */
  readonly root: Locator
  /** The engine's last words. */
  readonly reason: Locator
  readonly status: Locator
  private readonly restartButton: Locator

  constructor(studio: StudioContext) {
    super(studio)
    this.root = this.page.getByRole('alert', { name: /^The engine/ })
    this.reason = this.byId('engine-crash-reason')
    this.status = this.byId('engine-crash-status')
    this.restartButton = this.button('Restart the engine', this.root)
  }

  /** Restart the engine. */
  async restart(): Promise<void> {
    await this.restartButton.click()
  }
}
