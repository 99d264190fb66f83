/** The notices the studio shows (saved, failed, …), by kind. */
import type { Locator } from '@playwright/test'
import { Part, type StudioContext } from './view'

export class Notices extends Part {
  readonly info: Locator
  readonly error: Locator

  constructor(studio: StudioContext) {
    super(studio)
    const notices = this.region('Notifications')
    this.info = notices.getByRole('status')
    this.error = notices.getByRole('alert')
  }

  /** Takes the action a notice offers ("Undo"). */
  async act(name: string): Promise<void> {
    await this.button(name, this.region('Notifications')).click()
  }
}
