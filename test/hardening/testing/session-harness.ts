/**
 * An engine session as the engine process holds it, driven through the same dispatcher, so tests
 * see exactly the envelopes (result or `{ code, message }`) the host would receive, plus helpers
 * to wait on the events it emits.
 */
import type { Envelope } from '../../../src/shared/errors'
import type { StudioEvents, TrainProgress, TrainState } from '../../../src/shared/events'
import { dispatch } from '../../../src/main/engine/process/dispatch'
import { engineHandlers } from '../../../src/main/engine/session/engine-handlers'
import { EngineSession } from '../../../src/main/engine/session/engine-session'
import { withTimeout } from './with-timeout'

let nextId = 1

export interface SessionHarness {
  session: EngineSession
  events: Array<{ event: keyof StudioEvents; payload: unknown }>
  ask(method: string, params?: unknown): Promise<Envelope<unknown>>
  /** Resolves with the first event (already seen or still to come) that `match` accepts. */
  waitFor<E extends keyof StudioEvents>(
    event: E,
    match: (payload: StudioEvents[E]) => boolean,
    timeoutMs?: number
  ): Promise<StudioEvents[E]>
  /** Progress events seen so far. */
  progress(): TrainProgress[]
  /** Resolves when a training run ends (finished, stopped or failed), counting from the call. */
  nextEnd(): Promise<TrainState>
}

export function sessionHarness(): SessionHarness {
  const events: SessionHarness['events'] = []
  const waiters = new Set<() => void>()
  const session = new EngineSession(
    (event, payload) => {
      events.push({ event, payload })
      waiters.forEach((check) => check())
    },
    { name: 'wasm', available: ['wasm', 'cpu'] }
  )
  const handlers = engineHandlers(session)
  const waitFor: SessionHarness['waitFor'] = (event, match, timeoutMs = 60_000) => {
    const found = () => events.find((e) => e.event === event && match(e.payload as never))?.payload as never
    const waiting = new Promise<never>((resolve) => {
      const check = () => {
        const payload = found()
        if (payload === undefined) return
        waiters.delete(check)
        resolve(payload)
      }
      waiters.add(check)
      check()
    })
    return withTimeout(waiting, timeoutMs, `waiting for ${event}`)
  }
  return {
    session,
    events,
    ask: async (method, params) =>
      (await withTimeout(dispatch(handlers, { type: 'request', id: nextId++, method, params }), 60_000, method)).envelope,
    waitFor,
    progress: () => events.filter((e) => e.event === 'train:progress').map((e) => e.payload as TrainProgress),
    nextEnd: () => {
      const from = events.length
      return waitFor(
        'train:state',
        (state) => ['finished', 'stopped', 'failed'].includes(state.state) && events.findIndex((e) => e.payload === state) >= from
      )
    }
  }
}

export function errorOf(envelope: Envelope<unknown>): { code: string; message: string } {
  if (!('error' in envelope)) throw new Error(`expected an error, got a result: ${JSON.stringify(envelope.result)?.slice(0, 200)}`)
  return envelope.error
}

export function resultOf<T>(envelope: Envelope<unknown>): T {
  if ('error' in envelope) throw new Error(`${envelope.error.code}: ${envelope.error.message}`)
  return envelope.result as T
}
