import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { StudioError } from '../errors'
import { decodeMessage, encodeMessage } from './ws-codec'
import { connectWebSocket, type WebSocketLike } from './ws-transport'

const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike
const fast = { createSocket, retry: { initialMs: 20, maxMs: 80 } }

/** A stand-in server speaking the codec: `echo` answers with its payload, `hang` never answers. */
async function startFakeServer(port = 0): Promise<{ server: WebSocketServer; url: string; port: number }> {
  const server = new WebSocketServer({
    port,
    host: '127.0.0.1',
    verifyClient: (info: { req: { url?: string } }) => info.req.url === '/ws?token=good'
  })
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = decodeMessage(String(data))
      if (message.type !== 'request' || message.method === 'hang') return
      socket.send(encodeMessage({ type: 'response', id: message.id, envelope: { result: message.payload } }))
    })
  })
  await new Promise((resolve) => server.once('listening', resolve))
  const actual = (server.address() as AddressInfo).port
  return { server, port: actual, url: `ws://127.0.0.1:${actual}/ws?token=good` }
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

  it('rejects a first connection the server refuses, without showing the token', async () => {
    const { server, port } = await startFakeServer()
    cleanups.push(() => closeServer(server))
    const failure = await connectWebSocket(`ws://127.0.0.1:${port}/ws?token=secret-bad`, fast).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(StudioError)
    expect((failure as Error).message).toBe(`could not connect to the studio server at ws://127.0.0.1:${port}/ws`)
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
