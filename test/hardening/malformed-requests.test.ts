/**
 * Hardening, part 5: malformed requests for every contract method, over both transports: the host
 * called directly (as Electron's IPC handlers call it) and raw frames on the serve mode's
 * WebSocket. Each is refused with `invalid-request` or `forbidden-path`, nothing outside the chosen
 * folders is touched, the engine process never crashes, and valid requests still work afterwards.
 * The WebSocket gate is cross-checked with the real host behind it.
 */
import { promises as fs } from 'node:fs'
import { request as httpRequest } from 'node:http'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { methodNames, methods, type MethodName } from '../../src/shared/contract'
import type { Envelope } from '../../src/shared/errors'
import type { EngineStatus, StudioEvents } from '../../src/shared/events'
import { createClient } from '../../src/shared/transport/create-client'
import { decodeMessage, encodeMessage, type WsMessage } from '../../src/shared/transport/ws-codec'
import { connectWebSocket, type WebSocketLike } from '../../src/shared/transport/ws-transport'
import { tempDir } from '../support/small-setup'
import { createStudioHost } from '../../src/main/host/studio-host'
import type { StudioHost } from '../../src/main/host/types'
import { memorySettingsStore } from '../../src/main/host/memory-settings-store'
import { startServer, type RunningServer } from '../../src/main/serve/start-server'
import { malformedRequests, validRequests, type MalformedCase } from './corpus/malformed-requests'
import type { Bundle } from './testing/bundle-script'
import { bundleEngine, forkBundledEngine } from './testing/bundled-engine'
import { withTimeout } from './testing/with-timeout'

const token = 'hardening-token-0123456789abcdef'
let bundle: Bundle
let root: string
let allowed: string
let outside: string
let escape: string
let host: StudioHost
let server: RunningServer
let engineStarts = 0
/** Requests that got past the WebSocket gate to the host. */
let invocations = 0
const events: Array<{ event: keyof StudioEvents; payload: unknown }> = []
let cases: MalformedCase[]

beforeAll(async () => {
  bundle = await bundleEngine()
  root = await tempDir('fuzz')
  allowed = path.join(root, 'chosen')
  outside = path.join(root, 'elsewhere')
  escape = path.join(allowed, 'escape')
  await fs.mkdir(allowed)
  await fs.mkdir(outside)
  await fs.symlink(outside, escape)
  const renderer = path.join(root, 'renderer')
  await fs.mkdir(renderer)
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>VAE Studio</title>')
  host = createStudioHost({
    transport: 'serve',
    settings: memorySettingsStore(),
    launchEngine: () => {
      engineStarts++
      return forkBundledEngine(bundle.file)
    },
    allowedRoots: [allowed]
  })
  host.subscribe((event, payload) => events.push({ event, payload }))
  const counting: StudioHost = { ...host, invoke: (method, payload) => (invocations++, host.invoke(method, payload)) }
  server = await startServer({ host: counting, rendererDir: renderer, token })
  cases = malformedRequests({ allowed, outside, escape })
}, 60_000)

afterAll(async () => {
  await server?.close()
  await host?.dispose()
  await bundle?.remove()
  if (root) await fs.rm(root, { recursive: true, force: true })
})

function codeOf(envelope: Envelope<unknown>): string {
  return 'error' in envelope ? envelope.error.code : `a result (${JSON.stringify(envelope.result)?.slice(0, 80)})`
}

/** Valid requests after the storm: the engine process answers and does real work. */
async function expectStillWorking(invoke: (method: string, payload: unknown) => Promise<Envelope<unknown>>, name: string): Promise<void> {
  expect(await invoke('engineInfo', undefined)).toMatchObject({ result: { backend: expect.any(String) } })
  expect(await invoke('projectCreate', { path: path.join(allowed, `${name}.vaeproj`) })).toMatchObject({ result: { name } })
  expect(await invoke('datasetDemo', { count: 16, seed: 1 })).toMatchObject({ result: { imported: 16 } })
  expect(events.filter((e) => e.event === 'engine:status' && (e.payload as EngineStatus).crash !== null)).toEqual([])
  expect(engineStarts).toBe(1)
  expect(await fs.readdir(outside), 'something was written outside the chosen folders').toEqual([])
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
}

function expectRefusals(refusals: Array<{ label: string; expected: string; got: string }>): void {
  const wrong = refusals.filter((r) => r.got !== r.expected).map((r) => `${r.label}: expected ${r.expected}, got ${r.got}`)
  expect(wrong).toEqual([])
}

describe('malformed requests', () => {
  it('covers every contract method', () => {
    const covered = new Set(cases.map((c) => c.method))
    for (const method of methodNames) expect(covered.has(method), method).toBe(true)
    expect(cases.length).toBeGreaterThan(300)
  })

  it('starts each case from a valid request, so each case has exactly the fault it names', () => {
    const valid = validRequests({ allowed, outside, escape })
    for (const method of Object.keys(valid) as MethodName[]) {
      const parsed = methods[method].request.safeParse(valid[method])
      expect(parsed.error?.issues ?? [], method).toEqual([])
    }
  })

  it('the host refuses each one with a validation error, and keeps working', async () => {
    const refusals = []
    for (const c of cases)
      refusals.push({
        label: c.label,
        expected: c.code,
        got: codeOf(await withTimeout(host.invoke(c.method, c.payload), 30_000, c.label))
      })
    expectRefusals(refusals)
    await expectStillWorking((method, payload) => host.invoke(method, payload), 'AfterHost')
    console.info(`malformed requests, host: ${cases.length} refused`)
  }, 120_000)

  it('the WebSocket refuses each one as a raw frame, and raw garbage too, on one connection that stays open', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`)
    const replies: WsMessage[] = []
    const waiters: Array<(message: WsMessage) => void> = []
    socket.on('message', (data) => {
      const message = decodeMessage(String(data))
      // Events may come between replies at any time (the last test's import still reporting, a
      // throttled progress report): a client takes them aside; this one has no use for them.
      if (message.type === 'event') return
      const waiter = waiters.shift()
      if (waiter) waiter(message)
      else replies.push(message)
    })
    const next = () =>
      withTimeout(
        new Promise<WsMessage>((resolve) => (replies.length ? resolve(replies.shift()!) : waiters.push(resolve))),
        30_000,
        'a reply'
      )
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    const closed = new Promise((resolve) => socket.once('close', resolve))

    const refusals = []
    let id = 1
    for (const c of cases) {
      socket.send(encodeMessage({ type: 'request', id, method: c.method, payload: c.payload }))
      const reply = await next()
      expect(reply, c.label).toMatchObject({ type: 'response', id })
      refusals.push({ label: c.label, expected: c.code, got: codeOf((reply as { envelope: Envelope<unknown> }).envelope) })
      id++
    }
    const deep = 50_000
    const frames: Array<[string, string | Buffer]> = [
      ['not JSON', '{ not json'],
      ['empty text', ''],
      ['JSON null', 'null'],
      ['JSON array', '[1, 2]'],
      ['JSON string', '"request"'],
      ['JSON number', '42'],
      ['no id, no method', '{"type":"request"}'],
      ['negative id', '{"type":"request","id":-1,"method":"engineInfo"}'],
      ['fractional id', '{"type":"request","id":1.5,"method":"engineInfo"}'],
      ['string id', '{"type":"request","id":"1","method":"engineInfo"}'],
      ['unsafe integer id', '{"type":"request","id":18014398509481984,"method":"engineInfo"}'],
      ['numeric method', '{"type":"request","id":5,"method":5}'],
      ['no type', '{"id":5,"method":"engineInfo"}'],
      ['unknown type', '{"type":"exec","id":5,"method":"engineInfo"}'],
      ['a response from the client', '{"type":"response","id":5,"envelope":{"result":1}}'],
      ['an event from the client', '{"type":"event","event":"train:state","payload":{"state":"failed"}}'],
      ['top-level __proto__', '{"type":"request","id":5,"method":"engineInfo","__proto__":{"polluted":true}}'],
      [
        'nested constructor',
        '{"type":"request","id":5,"method":"modelSample","payload":{"count":1,"temperature":1,"seed":1,"x":{"constructor":{"prototype":{"polluted":true}}}}}'
      ],
      ['prototype key', '{"type":"request","id":5,"method":"modelSample","payload":{"prototype":1}}'],
      ['unknown byte tag', '{"type":"request","id":5,"method":"modelDecode","payload":{"z":{"$bytes":"f64","base64":"AAAAAAAAAAA="}}}'],
      [
        'bad base64',
        '{"type":"request","id":5,"method":"exportPng","payload":{"images":[{"width":1,"height":1,"channels":3,"pixels":{"$bytes":"u8","base64":"!!!!"}}],"columns":1}}'
      ],
      ['float32 bytes of odd length', '{"type":"request","id":5,"method":"modelDecode","payload":{"z":{"$bytes":"f32","base64":"AAA="}}}'],
      [
        'a tagged Float32Array where numbers belong',
        '{"type":"request","id":5,"method":"modelDecode","payload":{"z":[{"$bytes":"f32","base64":"AAAAAAAAAAA="}]}}'
      ],
      [
        `arrays nested ${deep} deep`,
        `{"type":"request","id":5,"method":"modelDecode","payload":{"z":${'['.repeat(deep)}${']'.repeat(deep)}}}`
      ],
      ['binary frame', Buffer.from('{"type":"request","id":5,"method":"engineInfo"}')],
      ['binary garbage', Buffer.from([0, 159, 146, 150, 255])]
    ]
    for (const [label, frame] of frames) {
      socket.send(frame)
      const reply = await next()
      expect(reply, label).toMatchObject({ type: 'response' })
      refusals.push({
        label: `frame: ${label}`,
        expected: 'invalid-request',
        got: codeOf((reply as { envelope: Envelope<unknown> }).envelope)
      })
    }
    expectRefusals(refusals)

    // The same connection still answers, and so does the real client stack on a new one.
    socket.send(encodeMessage({ type: 'request', id: 99_999, method: 'engineInfo', payload: undefined }))
    expect(await next()).toMatchObject({ id: 99_999, envelope: { result: { backend: expect.any(String) } } })
    const transport = await connectWebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`, {
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike
    })
    try {
      const studio = createClient(transport)
      await expectStillWorking((method, payload) => {
        return (studio[method as MethodName] as (req: unknown) => Promise<unknown>)(payload).then(
          (result) => ({ result }),
          (err: { code: string; message: string }) => ({ error: { code: err.code as never, message: err.message } })
        )
      }, 'AfterSocket')
    } finally {
      transport.close()
    }
    socket.close()
    await closed
    console.info(`malformed requests, WebSocket: ${cases.length} requests + ${frames.length} raw frames refused`)
  }, 120_000)

  it('the WebSocket gate holds with the real host behind it: loopback only, exact token, own origin', async () => {
    const before = invocations
    const status = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url, { headers })
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        socket.on('open', () => {
          socket.send(encodeMessage({ type: 'request', id: 1, method: 'engineInfo', payload: undefined }))
          socket.once('message', () => (socket.close(), resolve(101)))
        })
        socket.on('error', (err) => /Unexpected server response/.test(err.message) || reject(err))
      })
    const base = `ws://127.0.0.1:${server.port}/ws`
    const refused: Array<[string, string, Record<string, string>?]> = [
      ['no token', base],
      ['empty token', `${base}?token=`],
      ['token prefix', `${base}?token=${token.slice(0, -1)}`],
      ['token with a suffix', `${base}?token=${token}x`],
      ['token in capitals', `${base}?token=${token.toUpperCase()}`],
      ['token as a path', `ws://127.0.0.1:${server.port}/ws/${token}`],
      ['a file:// page (Origin: null)', `${base}?token=${token}`, { Origin: 'null' }],
      ['another site', `${base}?token=${token}`, { Origin: 'https://evil.example' }],
      [
        'DNS rebinding to this port',
        `${base}?token=${token}`,
        { Origin: `http://attacker.example:${server.port}`, Host: `attacker.example:${server.port}` }
      ]
    ]
    for (const [label, url, headers] of refused) expect(await status(url, headers), label).not.toBe(101)
    expect(invocations, 'a refused connection reached the host').toBe(before)
    expect(await status(`${base}?token=${token}`, { Origin: `http://127.0.0.1:${server.port}` })).toBe(101)
    expect(invocations).toBe(before + 1)

    expect(new URL(server.url).hostname).toBe('127.0.0.1')
    // Bound to loopback: the machine's other addresses do not answer at all.
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)
    if (!external) console.info('no non-loopback IPv4 address to check the binding from')
    else {
      const reached = await new Promise<string>((resolve) => {
        const req = httpRequest({ host: external.address, port: server.port, path: '/', timeout: 5000 }, () => resolve('answered'))
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
        req.on('timeout', () => (req.destroy(), resolve('timeout')))
        req.end()
      })
      expect(reached, `the server answered on ${external.address}`).not.toBe('answered')
    }
  }, 60_000)
})
