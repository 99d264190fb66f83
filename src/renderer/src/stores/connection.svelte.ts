/**
 * The page's connection to the studio server (serve mode), as its banner shows it: fine, waiting
 * for a server that does not answer, or refused by a server that was restarted — then the page
 * can only be opened again at the new address the server printed, which the user pastes here.
 */
import type { ConnectionState } from '../../../shared/transport/connection-state'

/** The studio address in what the user pasted (the whole line the server printed will do), or null. */
export function studioAddress(text: string): string | null {
  const found = /https?:\/\/\S+/.exec(text)?.[0]
  if (!found) return null
  try {
    const url = new URL(found)
    return url.searchParams.get('token') ? url.toString() : null
  } catch {
    return null
  }
}

export class ConnectionStatus {
  state = $state.raw<ConnectionState>({ state: 'connected' })
  /** What the user pasted as the new address, and why it cannot be opened. */
  address = $state('')
  error = $state<string | null>(null)

  constructor(
    connection: { onConnectionState?(listener: (state: ConnectionState) => void): () => void },
    private readonly navigate: (url: string) => void = (url) => window.location.assign(url)
  ) {
    connection.onConnectionState?.((state) => (this.state = state))
  }

  /** Opens the pasted address in this tab, if it is a studio address. */
  openAddress(): void {
    const url = studioAddress(this.address)
    if (!url) {
      this.error = 'That is not a studio address: paste the line the server printed, http://…/?token=…'
      return
    }
    this.error = null
    this.navigate(url)
  }
}
