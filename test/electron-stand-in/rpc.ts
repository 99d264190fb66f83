/**
 * Requests, replies and notices between the stand-in's two halves: the app's main process (a
 * Node child) and the test process that plays Chromium's browser process. Messages travel as
 * structured clones (Node IPC with `serialization: 'advanced'`), so images stay `Uint8Array`s.
 */
import { messageOf } from '../../src/shared/errors'

type Wire =
  | { type: 'request'; id: number; kind: string; payload: unknown }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'notice'; kind: string; payload: unknown }

export interface Rpc {
  request<T = unknown>(kind: string, payload?: unknown): Promise<T>
  notify(kind: string, payload?: unknown): void
  /** Answers requests of `kind`; a thrown error travels back as the request's rejection. */
  handle(kind: string, handler: (payload: never) => unknown): void
  on(kind: string, listener: (payload: never) => void): void
  /** Rejects what is still waiting (the other side is gone). */
  close(reason: string): void
}

export function createRpc(send: (message: Wire) => void, onMessage: (listener: (message: Wire) => void) => void): Rpc {
  let nextId = 1
  let closed: string | null = null
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>()
  const handlers = new Map<string, (payload: never) => unknown>()
  const listeners = new Map<string, Array<(payload: never) => void>>()
  onMessage((message) => {
    if (message.type === 'reply') {
      const entry = waiting.get(message.id)
      waiting.delete(message.id)
      if (message.ok) entry?.resolve(message.value)
      else entry?.reject(new Error(message.error))
    } else if (message.type === 'notice') {
      for (const listener of listeners.get(message.kind) ?? []) listener(message.payload as never)
    } else {
      const handler = handlers.get(message.kind)
      Promise.resolve()
        .then(() => {
          if (!handler) throw new Error(`the stand-in has no handler for ${message.kind}`)
          return handler(message.payload as never)
        })
        .then(
          (value) => send({ type: 'reply', id: message.id, ok: true, value }),
          (err: unknown) => send({ type: 'reply', id: message.id, ok: false, error: messageOf(err) })
        )
    }
  })
  return {
    request: <T>(kind: string, payload?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (closed) return reject(new Error(closed))
        const id = nextId++
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
        send({ type: 'request', id, kind, payload })
      }),
    notify: (kind, payload) => {
      if (!closed) send({ type: 'notice', kind, payload })
    },
    handle: (kind, handler) => void handlers.set(kind, handler),
    on: (kind, listener) => void listeners.set(kind, [...(listeners.get(kind) ?? []), listener]),
    close(reason) {
      closed = reason
      for (const entry of waiting.values()) entry.reject(new Error(reason))
      waiting.clear()
    }
  }
}
