/**
 * Builds a `StudioApi` over any transport that can carry a request for a method and deliver
 * events. Methods come from the contract's table, so a method added there appears here without
 * an edit. Error envelopes become thrown `StudioError`s in the caller's own realm, which
 * keeps `code` intact (an error thrown across Electron's contextBridge would lose it).
 */
import { methodNames, type StudioApi } from '../contract'
import { unwrapEnvelope, type Envelope } from '../errors'

export interface StudioTransport {
  invoke(method: string, payload: unknown): Promise<Envelope<unknown>>
  subscribe(event: string, listener: (payload: unknown) => void): () => void
}

export function createClient(transport: StudioTransport): StudioApi {
  const methods = Object.fromEntries(
    methodNames.map((method) => [method, async (payload?: unknown) => unwrapEnvelope(await transport.invoke(method, payload))])
  )
  const on: StudioApi['on'] = (event, listener) => transport.subscribe(event, listener as (payload: unknown) => void)
  return { ...methods, on } as unknown as StudioApi
}
