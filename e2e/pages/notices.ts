/** The notices the studio shows (saved, failed, …), by kind. */
import type { Locator } from '@playwright/test'
import { Part, type StudioContext } from './view'

export class Notices extends Part {
  readonly info: Locator
  readonly error: Locator

  constructor(studio: StudioContext) {
    super(studio)
    this.info = this.byId('notice-info')
    this.error = this.byId('notice-error')
  }
}
