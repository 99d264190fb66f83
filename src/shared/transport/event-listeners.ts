/**
 * The per-event listener sets behind both transports' `subscribe` (preload and WebSocket). One
 * failing listener must not starve the others; each transport decides how to report it.
 */
type Listener = (payload: unknown) => void

export interface EventListeners {
  /** Registers `listener` for `event`; the returned function removes it. */
  add(event: string, listener: Listener): () => void
  emit(event: string, payload: unknown): void
}

export function createEventListeners(reportFailure: (event: string, err: unknown) => void): EventListeners {
  const byEvent = new Map<string, Set<Listener>>()
  return {
    add(event, listener) {
      const set = byEvent.get(event) ?? new Set()
      set.add(listener)
      byEvent.set(event, set)
      return () => {
        set.delete(listener)
      }
    },
    emit(event, payload) {
      for (const listener of byEvent.get(event) ?? []) {
        try {
          listener(payload)
        } catch (err) {
          reportFailure(event, err)
        }
      }
    }
  }
}
