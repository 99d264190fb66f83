/**
 * The renderer's only door to the main process: `window.studio`, a transport that reaches the
 * IPC channel of each contract method (and no other) plus the drop helper. Raw `ipcRenderer` never reaches the page. This file
 * runs sandboxed, so it may require nothing at runtime but `electron`: the contract it imports is
 * bundled in (see electron.vite.config.ts).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createEventListeners } from '../shared/transport/event-listeners'
import { ipcChannels } from '../shared/transport/ipc-channels'
import { bridgeChannels, type BridgeEvent, type StudioBridge } from '../shared/transport/studio-bridge'

const listeners = createEventListeners((event, err) => console.error(`a listener of ${event} failed`, err))

ipcRenderer.on(bridgeChannels.event, (_event, message: BridgeEvent) => listeners.emit(message.event, message.payload))

const bridge: StudioBridge = {
  invoke(method, payload) {
    // The page names methods; only the contract's have a channel, so nothing else reaches ipcMain.
    const channel = ipcChannels.get(method as never)
    if (channel === undefined) return Promise.resolve({ error: { code: 'invalid-request', message: `unknown method ${String(method)}` } })
    return ipcRenderer.invoke(channel, payload)
  },
  subscribe: (event, listener) => listeners.add(event, listener),
  pathForFile(file) {
    const path = webUtils.getPathForFile(file)
    // Sent before any request that uses the path, and IPC keeps order, so the host allows it in time.
    if (path) ipcRenderer.send(bridgeChannels.allowDropped, path)
    return path
  }
}

contextBridge.exposeInMainWorld('studio', bridge)
