/**
 * `ipcMain` with Electron's rules: one handler per channel, `invoke` rejected when none is
 * registered, and every event carrying the sender's webContents and frame (URL and whether it
 * is the main frame) so the app's real sender checks run.
 */
import { EventEmitter } from 'node:events'
import type { IpcFromPage } from '../messages'
import { windowById } from './browser-window'
import { link } from './link'

type Handler = (event: unknown, ...args: unknown[]) => unknown
type Listener = Parameters<EventEmitter['on']>[1]
const handlers = new Map<string, Handler>()
const listeners = new EventEmitter()

function eventFor(message: IpcFromPage) {
  const sender = windowById(message.id).webContents
  return {
    type: 'frame',
    sender,
    processId: 1,
    frameId: 1,
    senderFrame: { url: message.frameUrl, parent: message.isMainFrame ? null : {}, top: null, processId: 1, routingId: 1 },
    returnValue: undefined as unknown,
    reply: (channel: string, ...args: unknown[]) => sender.send(channel, ...args)
  }
}

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    handlers.set(channel, handler)
  },
  handleOnce(channel: string, handler: Handler): void {
    ipcMain.handle(channel, (event, ...args) => {
      handlers.delete(channel)
      return handler(event, ...args)
    })
  },
  removeHandler: (channel: string): void => void handlers.delete(channel),
  on: (channel: string, listener: Listener) => (listeners.on(channel, listener), ipcMain),
  once: (channel: string, listener: Listener) => (listeners.once(channel, listener), ipcMain),
  off: (channel: string, listener: Listener) => (listeners.off(channel, listener), ipcMain),
  removeListener: (channel: string, listener: Listener) => (listeners.off(channel, listener), ipcMain),
  removeAllListeners: (channel?: string) => (listeners.removeAllListeners(channel), ipcMain)
}

link.handle('ipc-invoke', async (message: IpcFromPage) => {
  const handler = handlers.get(message.channel)
  if (!handler) throw new Error(`No handler registered for '${message.channel}'`)
  // The reply crosses back as a structured clone, as Electron's does.
  return structuredClone(await handler(eventFor(message), ...message.args))
})

link.on('ipc-send', (message: IpcFromPage) => {
  listeners.emit(message.channel, eventFor(message), ...message.args)
})
