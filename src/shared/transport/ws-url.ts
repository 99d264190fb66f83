/**
 * Where a page served by `vae-studio serve` finds its WebSocket: the same host, path `/ws`, and
 * the token the server printed in the page's own URL (`/?token=…`).
 */
import { StudioError } from '../errors'

export function studioSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token')
  if (!token) throw new StudioError('invalid-request', 'the page address has no ?token=… — open the URL that `vae-studio serve` printed')
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`
}
