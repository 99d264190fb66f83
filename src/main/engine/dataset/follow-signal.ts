/**
 * A signal of the caller's own that follows another one. Node warns of a leak once an
 * AbortSignal has more than 10 abort listeners, and work that listens once per item in flight
 * (the face pool: once per photo) passes that honestly; on a signal it owns, the caller can say
 * how many listeners it expects instead of raising the limit on a signal someone else owns.
 */
import { setMaxListeners } from 'node:events'

export function followSignal(outer: AbortSignal | undefined, maxListeners: number): { signal: AbortSignal; release(): void } {
  const own = new AbortController()
  setMaxListeners(maxListeners, own.signal)
  const abort = (): void => own.abort(outer?.reason)
  if (outer?.aborted) abort()
  else outer?.addEventListener('abort', abort, { once: true })
  return { signal: own.signal, release: () => outer?.removeEventListener('abort', abort) }
}
