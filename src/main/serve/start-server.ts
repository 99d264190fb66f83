/**
 * `vae-studio serve`: the built renderer over HTTP and the contract over a WebSocket at `/ws`,
 * for headless boxes and browser end-to-end tests. Loopback only unless told otherwise; the
 * WebSocket needs the token from the printed URL and a page from this server's own origin.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, promises as fs } from 'node:fs'
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { WebSocketServer } from 'ws'
import type { StudioHost } from '../host/types'
import { contentSecurityPolicy } from '../host/content-security-policy'
import { lookupStaticFile, mimeType } from '../host/static-files'
import { checkUpgrade, isWildcardBind, urlHost } from './ws-gate'
import { attachSession, broadcast } from './ws-session'

export interface ServerOptions {
  host: StudioHost
  /** The built renderer (`out/renderer`), holding index.html. */
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  bind?: string
  /** A fresh random token when absent. */
  token?: string
  /** Larger request frames close the connection (ws answers 1009). */
  maxMessageBytes?: number
}

export interface RunningServer {
  /** What to open in a browser: `http://127.0.0.1:PORT/?token=TOKEN`. */
  url: string
  token: string
  port: number
  /** Stops listening and drops every connection; the host stays the caller's to dispose. */
  close(): Promise<void>
}

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  // The page URL carries the token: never let it leak in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', ...extra })
    res.end(text)
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed', { Allow: 'GET, HEAD' })
  const found = await lookupStaticFile(root, new URL(req.url ?? '/', 'http://serve.invalid').pathname)
  if (found.status !== 200) return send(found.status, found.reason)
  res.writeHead(200, {
    ...securityHeaders,
    'Content-Type': mimeType(found.file),
    'Content-Length': String(found.size),
    'Cache-Control': 'no-cache'
  })
  if (req.method === 'HEAD') return void res.end()
  createReadStream(found.file)
    .on('error', () => res.destroy())
    .pipe(res)
}

/**
 * A plain GET of the WebSocket's address: the page asks this after a handshake failed (browsers
 * do not say why one did), to tell a server that is down from one that refuses its token (a
 * restarted server has a new one). The same gate answers: 401/403, or 426 where a WebSocket
 * would be let in.
 */
function answerSocketProbe(req: IncomingMessage, res: ServerResponse, gate: { token: string; bind: string; port: number }): void {
  const verdict = checkUpgrade(req, gate)
  const status = verdict.ok ? 426 : verdict.status
  res.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...(verdict.ok && { Upgrade: 'websocket', Connection: 'Upgrade' })
  })
  res.end(verdict.ok ? 'use a WebSocket' : verdict.reason)
}

/** The real path of a built renderer folder; throws a message that says how to build it. */
async function builtRendererRoot(dir: string): Promise<string> {
  const root = await fs.realpath(path.resolve(dir)).catch(() => null)
  const index = root === null ? null : await fs.stat(path.join(root, 'index.html')).catch(() => null)
  if (root === null || !index?.isFile()) {
    throw new Error(`no built renderer in ${path.resolve(dir)} (missing index.html): run \`npm run build\` first`)
  }
  return root
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const root = await builtRendererRoot(options.rendererDir)
  const token = options.token ?? randomBytes(24).toString('base64url')
  const bind = options.bind ?? '127.0.0.1'
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 64 * 1024 * 1024 })
  let port = 0
  const server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://serve.invalid').pathname === '/ws') return answerSocketProbe(req, res, { token, bind, port })
    serveStatic(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, securityHeaders)
      res.end()
    })
  })

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const gate = checkUpgrade(req, { token, bind, port })
    if (!gate.ok) {
      socket.end(`HTTP/1.1 ${gate.status} ${STATUS_CODES[gate.status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attachSession(ws, options.host))
  })
  const unsubscribe = options.host.subscribe((event, payload) => broadcast(sockets.clients, event, payload))

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, bind, () => resolve())
    })
  } catch (err) {
    unsubscribe()
    throw err
  }
  port = (server.address() as AddressInfo).port
  const shownHost = isWildcardBind(bind) ? '127.0.0.1' : urlHost(bind)

  return {
    url: `http://${shownHost}:${port}/?token=${encodeURIComponent(token)}`,
    token,
    port,
    close: async () => {
      unsubscribe()
      for (const client of sockets.clients) client.terminate()
      await new Promise<void>((resolve) => sockets.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
    }
  }
}
