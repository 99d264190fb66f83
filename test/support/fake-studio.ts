/**
 * A StudioApi for store tests: each method answers through a handler the test provides (or
 * fails loudly when the test did not expect the call), every call is recorded, and events can be
 * emitted as the host would.
 */
import type { MethodName, ParsedRequest, Result } from '../../src/shared/contract'
import type { StudioApi } from '../../src/shared/contract'
import type { StudioEvents } from '../../src/shared/events'

/** Handlers see requests as the host passes them on: validated, defaults filled in. */
type Handlers = { [M in MethodName]?: (req: ParsedRequest<M>) => Result<M> | Promise<Result<M>> }

export interface FakeStudio {
  api: StudioApi
  calls: Array<{ method: MethodName; req: unknown }>
  emit<E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]): void
  callsOf(method: MethodName): unknown[]
}

/** Answers every store asks for at start-up but few tests care about. */
const defaultHandlers: Handlers = { engineStatus: () => ({ state: 'ready', crash: null }) }

export function fakeStudio(testHandlers: Handlers = {}): FakeStudio {
  const handlers = { ...defaultHandlers, ...testHandlers }
  const calls: FakeStudio['calls'] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const api = new Proxy({} as StudioApi, {
    get(_target, name: string) {
      if (name === 'on') {
        return (event: string, listener: (payload: unknown) => void) => {
          const set = listeners.get(event) ?? new Set()
          set.add(listener)
          listeners.set(event, set)
          return () => set.delete(listener)
        }
      }
      if (name === 'then') return undefined
      return async (req: unknown) => {
        calls.push({ method: name as MethodName, req })
        const handler = (handlers as Record<string, ((req: unknown) => unknown) | undefined>)[name]
        if (!handler) throw new Error(`unexpected call: ${name}`)
        return handler(req)
      }
    }
  })
  return {
    api,
    calls,
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.req)
  }
}

/** Resolves once pending promise callbacks (and those they schedule) have run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

/** A promise the test resolves by hand, to hold a request "in flight". */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: unknown): void } {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}
