/**
 * What the Electron preload exposes as `window.studio`. It is a transport, not a `StudioApi`:
 * errors thrown across contextBridge lose every property but the message, so the bridge hands
 * back envelopes and the renderer builds the API with `createClient(window.studio)`, where
 * thrown `StudioError`s keep their `code`.
 */
import type { StudioTransport } from './create-client'

export interface StudioBridge extends StudioTransport {
  /**
   * The absolute path of a file or folder dropped on the page (empty for a File that did not
   * come from the disk). Dropping it is the user's choice, so the host may then read it.
   */
  pathForFile(file: File): string
}

/** The IPC channels of the bridge besides the contract's own (one per method). */
export const bridgeChannels = {
  /** Main → renderer: `{ event, payload }` for every host event. */
  event: 'studio:event',
  /** Renderer → main: a path the user dropped, to become an allowed root. */
  allowDropped: 'studio:allow-dropped'
} as const

export interface BridgeEvent {
  event: string
  payload: unknown
}
