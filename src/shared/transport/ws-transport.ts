/**
 * The browser side of serve mode: carries contract requests over one WebSocket, matches answers
 * to requests by id, and delivers server events. When the connection drops, every pending
 * request fails at once with a clear error (rather than hanging) and the transport reconnects
 * with backoff; events the server sent meanwhile are lost, so the page should re-read state when
 * `onConnectionChange(true)` fires again.
 *
 * A browser cannot see why a WebSocket handshake failed, so after a failed attempt the transport
 * asks the server over plain HTTP (the same `/ws` address): no answer means the server is down
 * (keep trying); 401 or 403 means a restarted server refuses this page's token, and then it stops.
 */
import { StudioError, type Envelope } from '../errors'
import type { ConnectionState } from './connection-state'
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
  /** The HTTP status the server answers at `url` (the socket's address as http), null when nothing answers. */
  probe?: (url: string) => Promise<number | null>
}

export interface WebSocketTransport extends StudioTransport {
  /** Fires false when the connection drops and true when a reconnection succeeds. */
  onConnectionChange(listener: (connected: boolean) => void): () => void
  /** The same, with what it waits for: a server that is down, or one that refuses this page. */
  onConnectionState(listener: (state: ConnectionState) => void): () => void
  close(): void
}

/** Said when a restarted server refuses the page's token (the server printed a new address). */
export const refusedMessage =
  'the studio server was restarted, so this page’s address is no longer valid: open the new address printed in the terminal where `npm run serve` runs'

const open = 1

function defaultSocket(url: string): WebSocketLike {
  if (typeof WebSocket !== 'function') throw new StudioError('internal', 'this environment has no WebSocket')
  // The DOM types its handlers' `this` and event classes; the transport needs only `data`.
  return new WebSocket(url) as unknown as WebSocketLike
}

async function fetchStatus(url: string): Promise<number | null> {
  try {
    return (await fetch(url)).status
  } catch {
    return null
  }
}

/** The socket's address as plain HTTP, where the server answers whether it would take this token. */
function httpUrl(url: string): string {
  const parsed = new URL(url)
  parsed.protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:'
  return parsed.toString()
}

const isRefusal = (status: number | null): status is 401 | 403 => status === 401 || status === 403

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
  const probe = options.probe ?? fetchStatus
  const retry = options.retry ?? { initialMs: 250, maxMs: 5000 }
  const pending = new Map<number, { resolve(envelope: Envelope<unknown>): void; reject(err: Error): void }>()
  const listeners = createEventListeners((_event, err) => rethrowLater(err))
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  /** The open connection requests go to, and the latest attempt (open or not) to close on close(). */
  let socket: WebSocketLike | null = null
  let current: WebSocketLike | null = null
  let nextId = 1
  let delay = retry.initialMs
  let attempts = 0
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

  function announce(state: ConnectionState): void {
    for (const listener of connectionListeners) callSafely(() => listener(state))
  }

  /** After an attempt that did not open: stop where the server refuses this page, else try again later. */
  async function afterFailedAttempt(): Promise<void> {
    const status = await probe(httpUrl(url))
    if (closed) return
    if (isRefusal(status)) {
      announce({ state: 'refused', status })
      return
    }
    attempts++
    delay = Math.min(delay * 2, retry.maxMs)
    announce({ state: 'reconnecting', attempts, retryMs: delay })
    timer = setTimeout(() => connect(), delay)
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
      attempts = 0
      if (first) first.resolve()
      else announce({ state: 'connected' })
    }
    candidate.onclose = () => {
      if (!opened && first) {
        void probe(httpUrl(url)).then((status) =>
          first.reject(
            new StudioError('internal', isRefusal(status) ? refusedMessage : `could not connect to the studio server at ${describe(url)}`)
          )
        )
        return
      }
      if (opened) {
        socket = null
        failPending('connection to the studio server lost')
        if (closed) return
        announce({ state: 'reconnecting', attempts: 0, retryMs: delay })
        timer = setTimeout(() => connect(), delay)
        return
      }
      if (!closed) void afterFailedAttempt()
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
      let connected = true
      return transport.onConnectionState((state) => {
        if ((state.state === 'connected') === connected) return
        connected = !connected
        listener(connected)
      })
    },
    onConnectionState(listener) {
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
