/**
 * Builds a `StudioApi` over any transport that can carry a request to a channel and deliver
 * events. Methods come from the `channels` map, so a method added to the contract appears here
 * without an edit. Error envelopes become thrown `StudioError`s in the caller's own realm, which
 * keeps `code` intact (an error thrown across Electron's contextBridge would lose it).
 */
import { channels } from '../contract'
import type { StudioApi } from '../contract'
import { unwrapEnvelope, type Envelope } from '../errors'

export interface StudioTransport {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>
  subscribe(event: string, listener: (payload: unknown) => void): () => void
}

export function createClient(transport: StudioTransport): StudioApi {
  const methods = Object.fromEntries(
    Object.entries(channels).map(([method, channel]) => [
      method,
      async (payload?: unknown) => unwrapEnvelope(await transport.invoke(channel, payload))
    ])
  )
  const on: StudioApi['on'] = (event, listener) => transport.subscribe(event, listener as (payload: unknown) => void)
  return { ...methods, on } as unknown as StudioApi
}
