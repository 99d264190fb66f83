import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ipcChannels } from '../../shared/transport/ipc-channels'
import type { Envelope } from '../../shared/errors'
import type { EventListener, StudioHost } from '../host/types'

/** Stands in for Electron's ipcMain (the real module needs the Electron binary). */
const ipc = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  listeners: new Map<string, (event: unknown, payload: unknown) => void>()
}))
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, payload: unknown) => unknown) => ipc.handlers.set(channel, handler),
    removeHandler: (channel: string) => ipc.handlers.delete(channel),
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => ipc.listeners.set(channel, listener),
    off: (channel: string) => ipc.listeners.delete(channel)
  }
}))

const { setupIpc } = await import('./ipc')

class FakeHost implements StudioHost {
  readonly calls: Array<[string, unknown]> = []
  readonly roots: string[] = []
  readonly listeners = new Set<EventListener>()
  async invoke(method: string, payload: unknown): Promise<Envelope<unknown>> {
    this.calls.push([method, payload])
    return { result: 'ok' }
  }
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  allowRoot(folder: string): void {
    this.roots.push(folder)
  }
  async dispose(): Promise<void> {}
  sequence<T>(steps: (invoke: StudioHost['invoke']) => Promise<T>): Promise<T> {
    return steps((method, payload) => this.invoke(method, payload))
  }
}

function fakeWindow(id: number) {
  const sent: unknown[] = []
  return { sent, webContents: { id, isDestroyed: () => false, send: (channel: string, message: unknown) => sent.push([channel, message]) } }
}

function ipcEvent(senderId: number, url: string, isMainFrame = true) {
  return { sender: { id: senderId }, senderFrame: { url, parent: isMainFrame ? null : {} } }
}

let host: FakeHost
let window: ReturnType<typeof fakeWindow>
let bridge: ReturnType<typeof setupIpc>
beforeEach(() => {
  ipc.handlers.clear()
  ipc.listeners.clear()
  host = new FakeHost()
  window = fakeWindow(7)
  bridge = setupIpc({ host, trustedOrigin: 'app://studio', windows: () => [window as never] })
})

describe('setupIpc', () => {
  it("handles every contract method's channel by passing the method to the host", async () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...ipcChannels.values()].sort())
    const answer = await ipc.handlers.get('train:set-beta')!(ipcEvent(7, 'app://studio/index.html'), { beta: 3 })
    expect(answer).toEqual({ result: 'ok' })
    expect(host.calls).toEqual([['trainSetBeta', { beta: 3 }]])
  })

  it('answers other windows, subframes, foreign pages and vanished frames with an error', async () => {
    const refused = { error: { code: 'invalid-request', message: 'the studio answers its own window only' } }
    const handle = ipc.handlers.get('engine:info')!
    expect(await handle(ipcEvent(8, 'app://studio/index.html'), undefined)).toEqual(refused)
    expect(await handle(ipcEvent(7, 'app://studio/index.html', false), undefined)).toEqual(refused)
    expect(await handle(ipcEvent(7, 'https://evil.example/'), undefined)).toEqual(refused)
    expect(await handle({ sender: { id: 7 }, senderFrame: null }, undefined)).toEqual(refused)
    const disposed = {
      sender: { id: 7 },
      get senderFrame(): never {
        throw new Error('Render frame was disposed')
      }
    }
    expect(await handle(disposed, undefined)).toEqual(refused)
    expect(host.calls).toEqual([])
  })

  it('forwards host events to the window on the bridge channel', () => {
    for (const listener of host.listeners) listener('train:state', { state: 'running' })
    bridge.sendEvent('app:command', { command: 'save' })
    expect(window.sent).toEqual([
      ['studio:event', { event: 'train:state', payload: { state: 'running' } }],
      ['studio:event', { event: 'app:command', payload: { command: 'save' } }]
    ])
  })

  it('allows a dropped folder, or the folder of a dropped file, from the app window only', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-drop-'))
    try {
      await fs.writeFile(path.join(dir, 'face.png'), '')
      const drop = ipc.listeners.get('studio:allow-dropped')!
      drop(ipcEvent(7, 'app://studio/index.html'), dir)
      drop(ipcEvent(7, 'app://studio/index.html'), path.join(dir, 'face.png'))
      drop(ipcEvent(7, 'app://studio/index.html'), path.join(dir, 'missing'))
      drop(ipcEvent(7, 'app://studio/index.html'), 'relative/path')
      drop(ipcEvent(7, 'app://studio/index.html'), { path: dir })
      drop(ipcEvent(9, 'app://studio/index.html'), os.homedir())
      expect(host.roots).toEqual([dir, dir])
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })

  it('removes its handlers and stops forwarding when disposed', () => {
    bridge.dispose()
    expect(ipc.handlers.size).toBe(0)
    expect(ipc.listeners.size).toBe(0)
    expect(host.listeners.size).toBe(0)
  })
})
