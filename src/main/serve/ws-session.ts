/**
 * One browser connection in serve mode: every request frame becomes `host.invoke`, answered
 * with the same id. A frame that cannot be read gets an error answer and the connection stays
 * open, so one bad message does not cost the page its session.
 */
import type { WebSocket } from 'ws'
import { toEnvelopeError, type Envelope } from '../../shared/errors'
import { decodeMessage, encodeMessage, MessageDecodeError, type WsMessage } from '../../shared/transport/ws-codec'
import type { StudioHost } from '../host/types'

function reply(socket: WebSocket, id: number | null, envelope: Envelope<unknown>): void {
  if (socket.readyState !== socket.OPEN) return
  let text: string
  try {
    text = encodeMessage({ type: 'response', id, envelope })
  } catch (err) {
    text = encodeMessage({ type: 'response', id, envelope: toEnvelopeError(err) })
  }
  socket.send(text)
}

function invalid(message: string): Envelope<unknown> {
  return { error: { code: 'invalid-request', message } }
}

async function answer(host: StudioHost, message: WsMessage): Promise<Envelope<unknown>> {
  if (message.type !== 'request') return invalid(`clients send requests, not ${message.type}s`)
  try {
    return await host.invoke(message.method, message.payload)
  } catch (err) {
    return toEnvelopeError(err)
  }
}

export function attachSession(socket: WebSocket, host: StudioHost): void {
  // ws reports oversized or broken frames here before closing; unhandled, it would crash the server.
  socket.on('error', () => {})
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      reply(socket, null, invalid('send JSON text frames'))
      return
    }
    let message: WsMessage
    try {
      message = decodeMessage(data.toString())
    } catch (err) {
      reply(socket, err instanceof MessageDecodeError ? err.id : null, toEnvelopeError(err))
      return
    }
    const id = message.type === 'request' ? message.id : null
    void answer(host, message).then((envelope) => reply(socket, id, envelope))
  })
}

/** Sends one host event to every open connection, encoding it once. */
export function broadcast(sockets: Iterable<WebSocket>, event: string, payload: unknown): void {
  const text = encodeMessage({ type: 'event', event, payload })
  for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text)
}
