/**
 * The contract over Electron IPC: one `ipcMain.handle` per contract method (on its channel, see
 * transport/ipc-channels.ts), answered by the host only for the app's own window (a page that got into some other frame or webContents gets
 * an error, not the studio), and host events pushed to the window on one event channel.
 */
import { statSync } from 'node:fs'
import * as path from 'node:path'
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron'
import { ipcChannels } from '../../shared/transport/ipc-channels'
import { bridgeChannels, type BridgeEvent } from '../../shared/transport/studio-bridge'
import type { StudioHost } from '../host/types'
import { isTrustedSender, type SenderInfo } from './security-policy'

function senderInfo(event: IpcMainEvent | IpcMainInvokeEvent): SenderInfo | null {
  try {
    const frame = event.senderFrame
    return { webContentsId: event.sender.id, frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null }
  } catch {
    // The frame was disposed between sending and now: nobody to answer.
    return null
  }
}

/** A dropped folder is allowed as is; a dropped file allows the folder it lies in. */
function allowDropped(host: StudioHost, dropped: unknown): void {
  if (typeof dropped !== 'string' || !path.isAbsolute(dropped)) return
  let isDirectory: boolean
  try {
    isDirectory = statSync(dropped).isDirectory()
  } catch {
    return
  }
  host.allowRoot(isDirectory ? dropped : path.dirname(dropped))
}

export function setupIpc(options: { host: StudioHost; trustedOrigin: string; windows: () => BrowserWindow[] }): {
  sendEvent(event: string, payload: unknown): void
  dispose(): void
} {
  const { host } = options
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean => {
    const info = senderInfo(event)
    const ids = new Set(options.windows().map((window) => window.webContents.id))
    return info !== null && isTrustedSender(info, { webContentsIds: ids, origin: options.trustedOrigin })
  }

  for (const [method, channel] of ipcChannels) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      trusted(event)
        ? host.invoke(method, payload)
        : { error: { code: 'invalid-request', message: 'the studio answers its own window only' } }
    )
  }
  // Handled synchronously: the request that uses the path arrives next and must find it allowed.
  const onDrop = (event: IpcMainEvent, dropped: unknown) => {
    if (trusted(event)) allowDropped(host, dropped)
  }
  ipcMain.on(bridgeChannels.allowDropped, onDrop)

  const sendEvent = (event: string, payload: unknown) => {
    const message: BridgeEvent = { event, payload }
    for (const window of options.windows()) {
      if (!window.webContents.isDestroyed()) window.webContents.send(bridgeChannels.event, message)
    }
  }
  const unsubscribe = host.subscribe(sendEvent)

  return {
    sendEvent,
    dispose() {
      for (const channel of ipcChannels.values()) ipcMain.removeHandler(channel)
      ipcMain.off(bridgeChannels.allowDropped, onDrop)
      unsubscribe()
    }
  }
}
