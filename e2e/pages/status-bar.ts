/** The status bar: the engine's backend and how the window talks to it. */
import type { Locator } from '@playwright/test'
import { Part, type StudioContext } from './view'

export class StatusBar extends Part {
  /** The engine's tfjs backend (wasm, cpu, tensorflow). */
  readonly backend: Locator
  /** 'desktop' in the app, the WebSocket in a browser. */
  readonly transport: Locator

  constructor(studio: StudioContext) {
    super(studio)
    this.backend = this.byId('engine-backend')
    this.transport = this.byId('status-transport')
  }
}
