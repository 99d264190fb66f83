import { promises as fs } from 'node:fs'
import { request as httpRequest } from 'node:http'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { Envelope } from '../../shared/errors'
import { StudioError } from '../../shared/errors'
import { createClient } from '../../shared/transport/create-client'
import { decodeMessage, encodeMessage, type WsMessage } from '../../shared/transport/ws-codec'
import { connectWebSocket, type WebSocketLike } from '../../shared/transport/ws-transport'
import type { EventListener, StudioHost } from '../host/types'
import { startServer, type RunningServer } from './start-server'

/** A test double of the host: answers a few methods, refuses the rest as the real host does, and lets the test emit events. */
class FakeHost implements StudioHost {
  readonly calls: Array<{ method: string; payload: unknown }> = []
  readonly listeners = new Set<EventListener>()

  async invoke(method: string, payload: unknown): Promise<Envelope<unknown>> {
    this.calls.push({ method, payload })
    switch (method) {
      case 'engineInfo':
        return { result: { backend: 'wasm', transport: 'serve' } }
      case 'modelDecode':
        return { result: [{ width: 2, height: 1, channels: 1, pixels: new Uint8Array([3, 250]) }] }
      case 'settingsSet':
        return { result: payload }
      case 'trainStop':
        return { error: { code: 'busy', message: 'nothing to stop' } }
      case 'projectSave':
        throw new Error('the fake host fails at projectSave')
      default:
        return { error: { code: 'invalid-request', message: `unknown method ${method}` } }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: 'train:state', payload: { state: 'running' | 'stopped' }): void {
    for (const listener of this.listeners) listener(event, payload)
  }

  allowRoot(): void {}
  async dispose(): Promise<void> {}
  sequence<T>(steps: (invoke: StudioHost['invoke']) => Promise<T>): Promise<T> {
    return steps((method, payload) => this.invoke(method, payload))
  }
}

let dir: string
let host: FakeHost
let server: RunningServer
const token = 'test-token-123'

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-serve-'))
  const renderer = path.join(dir, 'renderer')
  await fs.mkdir(path.join(renderer, 'assets'), { recursive: true })
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>VAE Studio</title>')
  await fs.writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log(1)')
  await fs.writeFile(path.join(dir, 'secret.txt'), 'do not serve')
  await fs.symlink(path.join(dir, 'secret.txt'), path.join(renderer, 'link.txt'))
  host = new FakeHost()
  server = await startServer({ host, rendererDir: renderer, port: 0, token, maxMessageBytes: 64 * 1024 })
})

afterAll(async () => {
  await server.close()
  await fs.rm(dir, { recursive: true, force: true })
})

function get(rawPath: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: rawPath, method }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a raw `ws` socket and resolves with the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    socket.on('open', () => {
      socket.close()
      resolve(101)
    })
    socket.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err)
    })
  })
}

function rawSocket(): Promise<{ socket: WebSocket; next(): Promise<WsMessage> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`)
  const queue: WsMessage[] = []
  const waiters: Array<(message: WsMessage) => void> = []
  socket.on('message', (data) => {
    const message = decodeMessage(String(data))
    const waiter = waiters.shift()
    if (waiter) waiter(message)
    else queue.push(message)
  })
  const next = () =>
    new Promise<WsMessage>((resolve) => {
      const queued = queue.shift()
      if (queued) resolve(queued)
      else waiters.push(resolve)
    })
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, next }))
    socket.once('error', reject)
  })
}

const wsUrl = () => `ws://127.0.0.1:${server.port}/ws?token=${token}`
const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike

describe('serve mode: static files', () => {
  it('prints a loopback URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`)
  })

  it('serves the renderer with MIME types and a strict CSP', async () => {
    const index = await get('/?token=abc')
    expect(index.status).toBe(200)
    expect(index.body).toContain('VAE Studio')
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    expect(index.headers['referrer-policy']).toBe('no-referrer')
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    const script = await get('/assets/app.js')
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.body).toBe('console.log(1)')
    const head = await get('/assets/app.js', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe('14')
    expect(head.body).toBe('')
  })

  it('refuses paths that leave the renderer folder', async () => {
    for (const attempt of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/link.txt']) {
      const res = await get(attempt)
      expect(res.status, attempt).not.toBe(200)
      expect(res.body, attempt).not.toContain('do not serve')
    }
    expect((await get('/..%2fsecret.txt')).status).toBe(403)
    expect((await get('/link.txt')).status).toBe(403)
    expect((await get('/../secret.txt')).status).toBe(404)
    expect((await get('/%00.html')).status).toBe(400)
    expect((await get('/%E0%A4%A')).status).toBe(400)
  })

  it('answers 404 for missing files and folders, 405 for other methods', async () => {
    expect((await get('/nope.js')).status).toBe(404)
    expect((await get('/assets')).status).toBe(404)
    expect((await get('/', 'POST')).status).toBe(405)
  })
})

describe('serve mode: WebSocket', () => {
  it('refuses a missing or wrong token with 401 and a foreign origin with 403', async () => {
    const base = `ws://127.0.0.1:${server.port}`
    expect(await upgradeStatus(`${base}/ws`)).toBe(401)
    expect(await upgradeStatus(`${base}/ws?token=wrong`)).toBe(401)
    expect(await upgradeStatus(`${base}/elsewhere?token=${token}`)).toBe(404)
    expect(await upgradeStatus(wsUrl(), { Origin: 'http://evil.example' })).toBe(403)
    expect(await upgradeStatus(wsUrl(), { Origin: `http://evil.example:${server.port}` })).toBe(403)
    expect(await upgradeStatus(wsUrl(), { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403)
    expect(await upgradeStatus(wsUrl(), { Origin: `http://127.0.0.1:${server.port}` })).toBe(101)
    expect(await upgradeStatus(wsUrl(), { Origin: `http://localhost:${server.port}` })).toBe(101)
  })

  it('answers a plain GET of the socket’s address as the handshake would: 401 for an old token, 426 for its own', async () => {
    // What a page asks after a failed reconnect, to tell a restarted server from one that is down.
    const refused = await get('/ws?token=from-before-a-restart')
    expect(refused.status).toBe(401)
    expect(refused.headers['cache-control']).toBe('no-store')
    expect((await get(`/ws?token=${token}`)).status).toBe(426)
  })

  it('runs requests through the host with the real client stack', async () => {
    const transport = await connectWebSocket(wsUrl(), { createSocket })
    try {
      const studio = createClient(transport)
      await expect(studio.engineInfo()).resolves.toMatchObject({ backend: 'wasm' })
      const [image] = await studio.modelDecode({ z: [[0.5, -1]] })
      expect(image.pixels).toBeInstanceOf(Uint8Array)
      expect(Array.from(image.pixels)).toEqual([3, 250])
      await expect(studio.settingsSet({ theme: 'dark' })).resolves.toEqual({ theme: 'dark' })
      expect(host.calls.slice(-2)).toEqual([
        { method: 'modelDecode', payload: { z: [[0.5, -1]] } },
        { method: 'settingsSet', payload: { theme: 'dark' } }
      ])
      const failure = await studio.trainStop().catch((err: unknown) => err)
      expect(failure).toBeInstanceOf(StudioError)
      expect(failure).toMatchObject({ code: 'busy', message: 'nothing to stop' })
      await expect(studio.projectSave()).rejects.toMatchObject({ code: 'internal', message: 'the fake host fails at projectSave' })
    } finally {
      transport.close()
    }
  })

  it('broadcasts host events to every connected page', async () => {
    const pages = await Promise.all([connectWebSocket(wsUrl(), { createSocket }), connectWebSocket(wsUrl(), { createSocket })])
    try {
      const seen: unknown[][] = [[], []]
      pages.forEach((page, i) => createClient(page).on('train:state', (state) => seen[i].push(state)))
      host.emit('train:state', { state: 'running' })
      await expect.poll(() => seen).toEqual([[{ state: 'running' }], [{ state: 'running' }]])
    } finally {
      pages.forEach((page) => page.close())
    }
  })

  it('answers malformed frames with an error and keeps the connection', async () => {
    const { socket, next } = await rawSocket()
    try {
      socket.send('{ not json')
      expect(await next()).toMatchObject({ type: 'response', id: null, envelope: { error: { code: 'invalid-request' } } })
      socket.send('{"type":"request","id":9,"method":"settingsSet","payload":{"__proto__":{"x":1}}}')
      expect(await next()).toMatchObject({
        id: 9,
        envelope: { error: { code: 'invalid-request', message: expect.stringMatching(/__proto__/) } }
      })
      // Names are the host's to judge (its one allow-list): the frame reaches it and its refusal comes back.
      socket.send(encodeMessage({ type: 'request', id: 10, method: 'shellExec', payload: 'rm -rf /' }))
      expect(await next()).toMatchObject({
        id: 10,
        envelope: { error: { code: 'invalid-request', message: 'unknown method shellExec' } }
      })
      socket.send(Buffer.from([1, 2, 3]))
      expect(await next()).toMatchObject({ id: null, envelope: { error: { message: 'send JSON text frames' } } })
      socket.send(encodeMessage({ type: 'event', event: 'train:state', payload: {} }))
      expect(await next()).toMatchObject({ id: null, envelope: { error: { message: 'clients send requests, not events' } } })
      socket.send(encodeMessage({ type: 'request', id: 11, method: 'engineInfo', payload: undefined }))
      expect(await next()).toEqual({ type: 'response', id: 11, envelope: { result: { backend: 'wasm', transport: 'serve' } } })
    } finally {
      socket.close()
    }
  })

  it('closes a connection that sends a frame over the size cap', async () => {
    const { socket } = await rawSocket()
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
    socket.on('error', () => {})
    socket.send(encodeMessage({ type: 'request', id: 1, method: 'modelDecode', payload: 'x'.repeat(70 * 1024) }))
    expect(await closed).toBe(1009)
  })
})

describe('serve mode: lifecycle', () => {
  it('refuses to start without a built renderer', async () => {
    await expect(startServer({ host: new FakeHost(), rendererDir: path.join(dir, 'missing') })).rejects.toThrow(/npm run build/)
  })

  it('close() drops connections, stops listening and leaves the host subscribed to nothing', async () => {
    const own = new FakeHost()
    const running = await startServer({ host: own, rendererDir: path.join(dir, 'renderer') })
    expect(running.token.length).toBeGreaterThanOrEqual(32)
    expect(own.listeners.size).toBe(1)
    const transport = await connectWebSocket(`ws://127.0.0.1:${running.port}/ws?token=${running.token}`, {
      createSocket,
      retry: { initialMs: 10_000, maxMs: 10_000 }
    })
    const lost = new Promise<boolean>((resolve) => transport.onConnectionChange(resolve))
    await running.close()
    expect(await lost).toBe(false)
    transport.close()
    expect(own.listeners.size).toBe(0)
    await expect(fetch(`http://127.0.0.1:${running.port}/`)).rejects.toThrow()
  })
})
