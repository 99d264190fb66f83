/**
 * The browser side of serve mode: carries contract requests over one WebSocket, matches answers
 * to requests by id, and delivers server events. When the connection drops, every pending
 * request fails at once with a clear error (rather than hanging) and the transport reconnects
 * with backoff; events the server sent meanwhile are lost, so the page should re-read state when
 * `onConnectionChange(true)` fires again.
 */
import { StudioError, type Envelope } from '../errors'
import type { StudioTransport } from './create-client'
import { createEventListeners } from './event-listeners'
import { decodeMessage, encodeMessage, MessageDecodeError } from './ws-codec'

/** The part of the WebSocket API used here; the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: (() => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: (() => void) | null
  onerror: (() => void) | null
}

export interface ConnectOptions {
  /** Defaults to the global WebSocket; tests under Node inject the `ws` package's. */
  createSocket?: (url: string) => WebSocketLike
  /** First and longest wait between reconnection attempts, in ms (doubling in between). */
  retry?: { initialMs: number; maxMs: number }
}

export interface WebSocketTransport extends StudioTransport {
  /** Fires false when the connection drops and true when a reconnection succeeds. */
  onConnectionChange(listener: (connected: boolean) => void): () => void
  close(): void
}

const open = 1

function defaultSocket(url: string): WebSocketLike {
  if (typeof WebSocket !== 'function') throw new StudioError('internal', 'this environment has no WebSocket')
  // The DOM types its handlers' `this` and event classes; the transport needs only `data`.
  return new WebSocket(url) as unknown as WebSocketLike
}

/** The URL without its query, so the token never ends up in an error message on screen. */
function describe(url: string): string {
  const parsed = new URL(url)
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
}

/** Rethrows outside the message handler, so one faulty listener neither hides the error nor starves the others. */
function rethrowLater(err: unknown): void {
  setTimeout(() => {
    throw err
  })
}

function callSafely(listener: () => void): void {
  try {
    listener()
  } catch (err) {
    rethrowLater(err)
  }
}

export function connectWebSocket(url: string, options: ConnectOptions = {}): Promise<WebSocketTransport> {
  const createSocket = options.createSocket ?? defaultSocket
  const retry = options.retry ?? { initialMs: 250, maxMs: 5000 }
  const pending = new Map<number, { resolve(envelope: Envelope<unknown>): void; reject(err: Error): void }>()
  const listeners = createEventListeners((_event, err) => rethrowLater(err))
  const connectionListeners = new Set<(connected: boolean) => void>()
  /** The open connection requests go to, and the latest attempt (open or not) to close on close(). */
  let socket: WebSocketLike | null = null
  let current: WebSocketLike | null = null
  let nextId = 1
  let delay = retry.initialMs
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  function failPending(message: string): void {
    const error = new StudioError('internal', message)
    for (const request of pending.values()) request.reject(error)
    pending.clear()
  }

  function settle(id: number, outcome: { envelope: Envelope<unknown> } | { error: Error }): void {
    const request = pending.get(id)
    pending.delete(id)
    if ('envelope' in outcome) request?.resolve(outcome.envelope)
    else request?.reject(outcome.error)
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return
    let message
    try {
      message = decodeMessage(data)
    } catch (err) {
      if (err instanceof MessageDecodeError && err.id !== null) settle(err.id, { error: err })
      return
    }
    if (message.type === 'response' && message.id !== null) {
      settle(message.id, { envelope: message.envelope })
    } else if (message.type === 'event') {
      listeners.emit(message.event, message.payload)
    }
  }

  function announce(connected: boolean): void {
    for (const listener of connectionListeners) callSafely(() => listener(connected))
  }

  function connect(first?: { resolve(): void; reject(err: Error): void }): void {
    const candidate = createSocket(url)
    current = candidate
    let opened = false
    candidate.onmessage = (event: { data: unknown }) => receive(event.data)
    candidate.onopen = () => {
      opened = true
      socket = candidate
      delay = retry.initialMs
      if (first) first.resolve()
      else announce(true)
    }
    candidate.onclose = () => {
      if (!opened && first) {
        first.reject(new StudioError('internal', `could not connect to the studio server at ${describe(url)}`))
        return
      }
      if (opened) {
        socket = null
        failPending('connection to the studio server lost')
        if (!closed) announce(false)
      }
      if (closed) return
      if (!opened) delay = Math.min(delay * 2, retry.maxMs)
      timer = setTimeout(() => connect(), delay)
    }
    candidate.onerror = () => {
      // A close event always follows; that is where failure is handled.
    }
  }

  const transport: WebSocketTransport = {
    invoke(method, payload) {
      if (!socket || socket.readyState !== open) {
        return Promise.reject(new StudioError('internal', 'not connected to the studio server'))
      }
      const id = nextId++
      let text: string
      try {
        text = encodeMessage({ type: 'request', id, method, payload })
      } catch (err) {
        return Promise.reject(err)
      }
      const answer = new Promise<Envelope<unknown>>((resolve, reject) => pending.set(id, { resolve, reject }))
      socket.send(text)
      return answer
    },
    subscribe: (event, listener) => listeners.add(event, listener),
    onConnectionChange(listener) {
      connectionListeners.add(listener)
      return () => {
        connectionListeners.delete(listener)
      }
    },
    close() {
      closed = true
      clearTimeout(timer)
      current?.close(1000, 'client closed')
      socket = null
      failPending('connection to the studio server closed')
    }
  }

  return new Promise((resolve, reject) => connect({ resolve: () => resolve(transport), reject }))
}
