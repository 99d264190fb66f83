import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { StudioError } from '../errors'
import type { ConnectionState } from './connection-state'
import { decodeMessage, encodeMessage } from './ws-codec'
import { connectWebSocket, refusedMessage, type WebSocketLike } from './ws-transport'

const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike
const fast = { createSocket, retry: { initialMs: 20, maxMs: 80 } }

/**
 * A stand-in server speaking the codec: `echo` answers with its payload, `hang` never answers.
 * Like the real one it takes only its own token, and answers a plain GET of /ws with 401 for
 * another token (426, "use a WebSocket", for its own).
 */
async function startFakeServer(
  port = 0,
  token = 'good'
): Promise<{ server: WebSocketServer; url: string; port: number; attempts(): number }> {
  let attempts = 0
  const http = createServer((req, res) => {
    res.writeHead(req.url === `/ws?token=${token}` ? 426 : 401)
    res.end()
  })
  const server = new WebSocketServer({
    server: http,
    verifyClient: (info: { req: { url?: string } }) => {
      attempts++
      return info.req.url === `/ws?token=${token}`
    }
  })
  server.on('close', () => http.close())
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = decodeMessage(String(data))
      if (message.type !== 'request' || message.method === 'hang') return
      socket.send(encodeMessage({ type: 'response', id: message.id, envelope: { result: message.payload } }))
    })
  })
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve))
  const actual = (http.address() as AddressInfo).port
  return { server, port: actual, url: `ws://127.0.0.1:${actual}/ws?token=${token}`, attempts: () => attempts }
}

function broadcast(server: WebSocketServer, event: string, payload: unknown): void {
  for (const client of server.clients) client.send(encodeMessage({ type: 'event', event, payload }))
}

function closeServer(server: WebSocketServer): Promise<void> {
  for (const client of server.clients) client.terminate()
  return new Promise((resolve) => server.close(() => resolve()))
}

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('connectWebSocket', () => {
  it('matches answers to requests by id, bytes included', async () => {
    const { server, url } = await startFakeServer()
    cleanups.push(() => closeServer(server))
    const transport = await connectWebSocket(url, fast)
    cleanups.push(() => transport.close())
    const pixels = new Uint8Array([0, 127, 255])
    const [a, b] = await Promise.all([transport.invoke('echo', { pixels }), transport.invoke('echo', { n: 2 })])
    expect(a).toEqual({ result: { pixels } })
    expect((a as { result: { pixels: Uint8Array } }).result.pixels).toBeInstanceOf(Uint8Array)
    expect(b).toEqual({ result: { n: 2 } })
  })

  it('delivers events by name until unsubscribed', async () => {
    const { server, url } = await startFakeServer()
    cleanups.push(() => closeServer(server))
    const transport = await connectWebSocket(url, fast)
    cleanups.push(() => transport.close())
    const seen: unknown[] = []
    const off = transport.subscribe('train:state', (payload) => seen.push(payload))
    broadcast(server, 'train:progress', { step: 1 })
    broadcast(server, 'train:state', { state: 'running' })
    await transport.invoke('echo', null) // the answer comes after both events on the same socket
    off()
    broadcast(server, 'train:state', { state: 'stopped' })
    await transport.invoke('echo', null)
    expect(seen).toEqual([{ state: 'running' }])
  })

  it('fails pending requests when the connection drops, then reconnects', async () => {
    const { server, url } = await startFakeServer()
    cleanups.push(() => closeServer(server))
    const transport = await connectWebSocket(url, fast)
    cleanups.push(() => transport.close())
    const changes: boolean[] = []
    transport.onConnectionChange((connected) => changes.push(connected))
    const hanging = transport.invoke('hang', null)
    await new Promise((resolve) => setTimeout(resolve, 20))
    for (const client of server.clients) client.terminate()
    const failure = await hanging.catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(StudioError)
    expect(failure).toMatchObject({ code: 'internal', message: 'connection to the studio server lost' })
    await expect(transport.invoke('echo', 1)).rejects.toThrow('not connected to the studio server')
    await expect.poll(() => changes, { timeout: 5000 }).toEqual([false, true])
    await expect(transport.invoke('echo', 3)).resolves.toEqual({ result: 3 })
  })

  it('keeps retrying with backoff while the server is down', async () => {
    const first = await startFakeServer()
    const transport = await connectWebSocket(first.url, fast)
    cleanups.push(() => transport.close())
    const changes: boolean[] = []
    transport.onConnectionChange((connected) => changes.push(connected))
    await closeServer(first.server)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(changes).toEqual([false])
    const second = await startFakeServer(first.port)
    cleanups.push(() => closeServer(second.server))
    await expect.poll(() => changes, { timeout: 5000 }).toEqual([false, true])
    await expect(transport.invoke('echo', 'back')).resolves.toEqual({ result: 'back' })
  })

  it('says where it could not connect, without showing the token', async () => {
    const { server, port } = await startFakeServer()
    await closeServer(server)
    const failure = await connectWebSocket(`ws://127.0.0.1:${port}/ws?token=secret`, fast).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(StudioError)
    expect((failure as Error).message).toBe(`could not connect to the studio server at ws://127.0.0.1:${port}/ws`)
  })

  it('says a first connection with a refused token comes from a restarted server, without showing the token', async () => {
    const { server, port } = await startFakeServer()
    cleanups.push(() => closeServer(server))
    const failure = await connectWebSocket(`ws://127.0.0.1:${port}/ws?token=secret-bad`, fast).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(StudioError)
    expect((failure as Error).message).toBe(refusedMessage)
    expect((failure as Error).message).not.toContain('secret')
  })

  it('stops trying once a restarted server refuses the token, and says so', async () => {
    const first = await startFakeServer()
    const transport = await connectWebSocket(first.url, fast)
    cleanups.push(() => transport.close())
    const states: ConnectionState[] = []
    const changes: boolean[] = []
    transport.onConnectionState((state) => states.push(state))
    transport.onConnectionChange((connected) => changes.push(connected))
    await closeServer(first.server)
    const restarted = await startFakeServer(first.port, 'a-new-token')
    cleanups.push(() => closeServer(restarted.server))
    await expect.poll(() => states.at(-1), { timeout: 5000 }).toEqual({ state: 'refused', status: 401 })
    const attempts = restarted.attempts()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(restarted.attempts()).toBe(attempts)
    expect(states.filter((s) => s.state === 'refused')).toHaveLength(1)
    expect(changes).toEqual([false])
    await expect(transport.invoke('echo', 1)).rejects.toThrow('not connected to the studio server')
  })

  it('while the server is down, says it is waiting and how often it tries', async () => {
    const first = await startFakeServer()
    const transport = await connectWebSocket(first.url, fast)
    cleanups.push(() => transport.close())
    const states: ConnectionState[] = []
    transport.onConnectionState((state) => states.push(state))
    await closeServer(first.server)
    await expect.poll(() => states.length, { timeout: 5000 }).toBeGreaterThanOrEqual(4)
    expect(states[0]).toEqual({ state: 'reconnecting', attempts: 0, retryMs: 20 })
    expect(states.slice(1, 4)).toEqual([
      { state: 'reconnecting', attempts: 1, retryMs: 40 },
      { state: 'reconnecting', attempts: 2, retryMs: 80 },
      { state: 'reconnecting', attempts: 3, retryMs: 80 }
    ])
    const second = await startFakeServer(first.port)
    cleanups.push(() => closeServer(second.server))
    await expect.poll(() => states.at(-1), { timeout: 5000 }).toEqual({ state: 'connected' })
  })

  it('stops reconnecting once closed', async () => {
    const { server, url } = await startFakeServer()
    cleanups.push(() => closeServer(server))
    const transport = await connectWebSocket(url, fast)
    const changes: boolean[] = []
    transport.onConnectionChange((connected) => changes.push(connected))
    const hanging = transport.invoke('hang', null)
    transport.close()
    await expect(hanging).rejects.toThrow('connection to the studio server closed')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(server.clients.size).toBe(0)
    expect(changes).toEqual([])
  })
})
