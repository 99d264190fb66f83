/**
 * Who may open the serve mode's WebSocket. The token (printed once in the URL) proves the client
 * got it from the user; the Origin check stops other web pages the user visits from driving the
 * studio, including through DNS rebinding, where the page's origin is the attacker's host name.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

export type GateResult = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string }

const loopbackNames = ['127.0.0.1', 'localhost', '[::1]']
const wildcardBinds = new Set(['0.0.0.0', '::', '[::]'])

export function isWildcardBind(bind: string): boolean {
  return wildcardBinds.has(bind)
}

/** `bind` as it appears in a URL's host (IPv6 in brackets). */
export function urlHost(bind: string): string {
  return bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind
}

function ownOrigins(bind: string, port: number): Set<string> {
  const names = isWildcardBind(bind) ? loopbackNames : [...loopbackNames, urlHost(bind)]
  return new Set(names.map((name) => `http://${name}:${port}`))
}

function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

export function checkUpgrade(
  request: { url?: string; headers: IncomingHttpHeaders },
  options: { token: string; bind: string; port: number }
): GateResult {
  const url = new URL(request.url ?? '/', 'http://gate.invalid')
  if (url.pathname !== '/ws') return { ok: false, status: 404, reason: 'no such endpoint' }
  const token = url.searchParams.get('token')
  if (!token || !sameToken(token, options.token)) return { ok: false, status: 401, reason: 'missing or wrong token' }
  const origin = request.headers.origin
  // Browsers always send Origin on a WebSocket; a client without one is not a web page.
  if (origin === undefined) return { ok: true }
  const allowed = ownOrigins(options.bind, options.port)
  // Bound to every interface, the server cannot list its own names: the page must at least
  // come from the host it is talking to (the token still has to match).
  if (isWildcardBind(options.bind) && request.headers.host) allowed.add(`http://${request.headers.host.toLowerCase()}`)
  if (!allowed.has(origin.toLowerCase())) return { ok: false, status: 403, reason: `origin ${origin} is not this server` }
  return { ok: true }
}
