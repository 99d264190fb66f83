/** The banner a browser page shows while its studio server is gone: reconnecting, or refused by a restarted one. */
import type { Locator } from '@playwright/test'
import { Part, type StudioContext } from './view'

export class ConnectionBanner extends Part {
  /** The banner; its data-state is 'reconnecting' or 'refused'. */
  readonly root: Locator
  private readonly address: Locator
  private readonly openButton: Locator

  constructor(studio: StudioContext) {
    super(studio)
    this.root = this.byId('connection-lost')
    this.address = this.root.getByRole('textbox', { name: 'New studio address' })
    this.openButton = this.root.getByRole('button', { name: 'Open this address' })
  }

  /** Pastes what the server printed into the banner and opens it. */
  async openAddress(text: string): Promise<void> {
    await this.address.fill(text)
    await this.openButton.click()
  }
}
