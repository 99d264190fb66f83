/**
 * The renderer's only door to the main process: `window.studio`, a transport limited to the
 * contract's channels plus the drop helper. Raw `ipcRenderer` never reaches the page. This file
 * runs sandboxed, so it may require nothing at runtime but `electron`: the contract it imports is
 * bundled in (see electron.vite.config.ts).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { channels } from '../shared/contract'
import { createEventListeners } from '../shared/transport/event-listeners'
import { bridgeChannels, type BridgeEvent, type StudioBridge } from '../shared/transport/studio-bridge'

const contractChannels = new Set<string>(Object.values(channels))
const listeners = createEventListeners((event, err) => console.error(`a listener of ${event} failed`, err))

ipcRenderer.on(bridgeChannels.event, (_event, message: BridgeEvent) => listeners.emit(message.event, message.payload))

const bridge: StudioBridge = {
  invoke(channel, payload) {
    if (!contractChannels.has(channel)) {
      return Promise.resolve({ error: { code: 'invalid-request', message: `unknown channel ${String(channel)}` } })
    }
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
