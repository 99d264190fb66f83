/**
 * The one place that decides how the renderer reaches the studio: the preload's bridge
 * (`window.studio`) in the desktop app, otherwise (serve mode, a plain browser) the WebSocket of
 * the server that served this page, authenticated by the token in the page's own URL.
 */
import type { StudioApi } from '../../../shared/contract'
import type { ConnectionState } from '../../../shared/transport/connection-state'
import { createClient } from '../../../shared/transport/create-client'
import { connectWebSocket } from '../../../shared/transport/ws-transport'
import { studioSocketUrl } from '../../../shared/transport/ws-url'

export interface StudioConnection {
  api: StudioApi
  /** The desktop app: native dialogs choose folders, and exports are saved by the app itself. */
  desktop: boolean
  /** Fires false when the server connection drops and true once it is back (serve mode only). */
  onConnectionChange(listener: (connected: boolean) => void): () => void
  /** What the page waits for while disconnected: a server that is down, or one that refuses it; absent in the desktop app, whose link cannot drop. */
  onConnectionState?(listener: (state: ConnectionState) => void): () => void
  /** The disk path of a file or folder dropped on the page; null where the page cannot know paths. */
  pathForFile: ((file: File) => string) | null
}

export async function connectStudio(): Promise<StudioConnection> {
  const bridge = window.studio
  if (bridge) {
    return { api: createClient(bridge), desktop: true, onConnectionChange: () => () => {}, pathForFile: (file) => bridge.pathForFile(file) }
  }
  const transport = await connectWebSocket(studioSocketUrl(window.location))
  return {
    api: createClient(transport),
    desktop: false,
    onConnectionChange: (listener) => transport.onConnectionChange(listener),
    onConnectionState: (listener) => transport.onConnectionState(listener),
    pathForFile: null
  }
}
