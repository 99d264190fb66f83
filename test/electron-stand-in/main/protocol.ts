/**
 * `protocol` and `session`: the app's own scheme handler answers the page's requests (the test
 * process forwards them here), and response-header hooks apply as in Electron's network service.
 */
import type { ProtocolRequest, ProtocolResponse } from '../messages'
import { link } from './link'
import { ready, requireReady } from './lifecycle'

type Handler = (request: Request) => Response | Promise<Response>
type HeadersListener = (
  details: { url: string; statusCode: number; resourceType: string; responseHeaders: Record<string, string[]> },
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string[]> }) => void
) => void

const handlers = new Map<string, Handler>()
let headersListener: HeadersListener | null = null

export const protocol = {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>): void {
    if (ready()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
    link.notify(
      'schemes',
      schemes.map((s) => s.scheme)
    )
  },
  handle(scheme: string, handler: Handler): void {
    requireReady('protocol.handle() can only be used after the app is ready')
    if (handlers.has(scheme)) throw new Error(`Protocol ${scheme} is already handled`)
    handlers.set(scheme, handler)
  },
  unhandle: (scheme: string): void => void handlers.delete(scheme),
  isProtocolHandled: (scheme: string): boolean => handlers.has(scheme)
}

const defaultSession = {
  webRequest: {
    onHeadersReceived(...args: [HeadersListener | null] | [unknown, HeadersListener | null]): void {
      headersListener = (args.length === 2 ? args[1] : args[0]) as HeadersListener | null
    }
  },
  setPermissionRequestHandler: () => undefined,
  setPermissionCheckHandler: () => undefined,
  protocol
}

export const session = {
  get defaultSession() {
    requireReady('Session can only be received when app is ready')
    return defaultSession
  }
}

function withHookedHeaders(url: string, status: number, headers: Record<string, string[]>): Promise<Record<string, string[]>> {
  const listener = headersListener
  if (!listener) return Promise.resolve(headers)
  return new Promise((resolve) =>
    listener({ url, statusCode: status, resourceType: 'mainFrame', responseHeaders: headers }, (answer) =>
      resolve(answer.responseHeaders ?? headers)
    )
  )
}

link.handle('protocol-request', async (request: ProtocolRequest): Promise<ProtocolResponse> => {
  const scheme = new URL(request.url).protocol.slice(0, -1)
  const handler = handlers.get(scheme)
  if (!handler) return { status: 404, headers: {}, body: new TextEncoder().encode(`ERR_UNKNOWN_URL_SCHEME: ${scheme}`) }
  const response = await handler(new Request(request.url, { method: request.method, headers: request.headers }))
  const listed: Record<string, string[]> = {}
  response.headers.forEach((value, name) => (listed[name] = [value]))
  const hooked = await withHookedHeaders(request.url, response.status, listed)
  const headers = Object.fromEntries(Object.entries(hooked).map(([name, values]) => [name, values.join(', ')]))
  return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) }
})
