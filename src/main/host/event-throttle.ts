/**
 * Progress events can come every few milliseconds; a renderer only needs a few per second. Each
 * throttled event is delivered at most once per interval, and its latest value always arrives.
 */
import type { StudioEvents } from '../../shared/events'
import type { EventListener } from './types'

const throttled = new Set<keyof StudioEvents>(['train:progress', 'dataset:progress'])

export function throttleEvents(listener: EventListener, intervalMs = 100): EventListener & { flush(): void } {
  const last = new Map<keyof StudioEvents, number>()
  const waiting = new Map<keyof StudioEvents, { payload: unknown; timer: NodeJS.Timeout }>()
  const deliver = (event: keyof StudioEvents, payload: unknown) => {
    last.set(event, Date.now())
    listener(event, payload as never)
  }
  const wrapped = <E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]) => {
    if (!throttled.has(event)) {
      // An unthrottled event (epoch end, state change) must not overtake the progress before it.
      wrapped.flush()
      listener(event, payload)
      return
    }
    const pending = waiting.get(event)
    if (pending) {
      pending.payload = payload
      return
    }
    const since = Date.now() - (last.get(event) ?? 0)
    if (since >= intervalMs) return deliver(event, payload)
    const timer = setTimeout(() => {
      const entry = waiting.get(event)
      waiting.delete(event)
      if (entry) deliver(event, entry.payload)
    }, intervalMs - since)
    waiting.set(event, { payload, timer })
  }
  wrapped.flush = () => {
    for (const [event, entry] of waiting) {
      clearTimeout(entry.timer)
      waiting.delete(event)
      deliver(event, entry.payload)
    }
  }
  return wrapped
}
