/**
 * `BrowserWindow` and its `webContents`. The page itself lives in the test process's Chromium;
 * here are the window's state, its events in Electron's order, and the messages that move the
 * page (load, send, close).
 */
import { EventEmitter } from 'node:events'
import type { WindowCreated } from '../messages'
import { link } from './link'
import { appEvents, lastWindowClosed, preventable, requireReady } from './lifecycle'

type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' }

const windows = new Map<number, BrowserWindow>()
let nextId = 1

export function allWindows(): BrowserWindow[] {
  return [...windows.values()]
}

export function windowById(id: number): BrowserWindow {
  const window = windows.get(id)
  if (!window) throw new Error(`window ${id} is gone`)
  return window
}

export class WebContents extends EventEmitter {
  readonly id: number
  private url = ''
  private destroyed = false
  private openHandler: OpenHandler | null = null
  private loads: Array<{ resolve: () => void; reject: (err: Error) => void }> = []

  constructor(private readonly window: BrowserWindow) {
    super()
    this.id = window.id
  }

  loadURL(url: string): Promise<void> {
    this.url = url
    link.notify('window-load', { id: this.id, url })
    return new Promise((resolve, reject) => this.loads.push({ resolve, reject }))
  }

  reload(): void {
    link.notify('window-reload', { id: this.id })
  }

  getURL(): string {
    return this.url
  }

  /** Messages are structured clones, as in Electron: a function in `args` throws here. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    link.notify('window-send', { id: this.id, channel, args: structuredClone(args) })
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler
  }

  focus(): void {}
  openDevTools(): void {}

  /** The page asked for a new window (window.open, a target=_blank link). */
  windowOpenAction(url: string): 'allow' | 'deny' {
    return this.openHandler?.({ url }).action ?? 'allow'
  }

  /** The page is navigating itself elsewhere: true when a listener prevented it. */
  willNavigate(url: string): boolean {
    const event = Object.assign(preventable(), { url })
    this.emit('will-navigate', event, url)
    return event.defaultPrevented
  }

  pageEvent(event: 'dom-ready' | 'did-finish-load' | 'did-fail-load', detail?: string): void {
    if (event === 'did-finish-load') this.loads.splice(0).forEach((load) => load.resolve())
    if (event === 'did-fail-load') this.loads.splice(0).forEach((load) => load.reject(new Error(detail ?? 'ERR_FAILED')))
    this.emit(event, {})
    if (event === 'dom-ready') this.window.firstPaint()
  }

  navigated(url: string): void {
    this.url = url
  }

  markDestroyed(): void {
    this.destroyed = true
    this.loads.splice(0).forEach((load) => load.reject(new Error('ERR_ABORTED (-3) loading; the window was closed')))
  }
}

export interface BrowserWindowOptions {
  width?: number
  height?: number
  x?: number
  y?: number
  show?: boolean
  title?: string
  webPreferences?: { preload?: string; sandbox?: boolean; contextIsolation?: boolean; nodeIntegration?: boolean }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows = allWindows
  static getFocusedWindow = (): BrowserWindow | null => allWindows().find((w) => w.focused) ?? null
  static fromWebContents = (contents: WebContents): BrowserWindow | null => windows.get(contents.id) ?? null

  readonly id = nextId++
  readonly webContents: WebContents
  private bounds: { x: number; y: number; width: number; height: number }
  private visible: boolean
  private focused = false
  private maximized = false
  private minimized = false
  private destroyed = false
  private shownOnce = false
  private title: string

  constructor(options: BrowserWindowOptions = {}) {
    requireReady('Cannot create BrowserWindow before app is ready')
    super()
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 }
    this.visible = options.show !== false
    this.title = options.title ?? ''
    this.webContents = new WebContents(this)
    windows.set(this.id, this)
    const prefs = options.webPreferences ?? {}
    const created: WindowCreated = {
      id: this.id,
      width: this.bounds.width,
      height: this.bounds.height,
      preload: prefs.preload,
      sandbox: prefs.sandbox ?? !prefs.nodeIntegration,
      contextIsolation: prefs.contextIsolation ?? true
    }
    link.notify('window-created', created)
    appEvents.emit('web-contents-created', preventable(), this.webContents)
    appEvents.emit('browser-window-created', preventable(), this)
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url)
  }

  /** Electron sends 'ready-to-show' once, when the page first rendered, for windows made hidden. */
  firstPaint(): void {
    if (this.shownOnce) return
    this.shownOnce = true
    this.emit('ready-to-show')
  }

  show(): void {
    this.visible = true
    this.focus()
    this.emit('show')
  }

  hide(): void {
    this.visible = false
    this.emit('hide')
  }

  isVisible = (): boolean => this.visible
  isFocused = (): boolean => this.focused
  isMaximized = (): boolean => this.maximized
  isMinimized = (): boolean => this.minimized
  isDestroyed = (): boolean => this.destroyed
  getTitle = (): string => this.title
  setTitle = (title: string): void => void (this.title = title)
  getBounds = () => ({ ...this.bounds })
  getNormalBounds = () => ({ ...this.bounds })
  setBounds = (bounds: Partial<typeof this.bounds>): void => void Object.assign(this.bounds, bounds)

  focus(): void {
    for (const other of windows.values()) other.focused = other === this
    this.emit('focus')
  }

  maximize(): void {
    this.maximized = true
    this.emit('maximize')
  }

  minimize(): void {
    this.minimized = true
    this.emit('minimize')
  }

  restore(): void {
    this.minimized = false
    this.emit('restore')
  }

  /** 'close' first (a listener may keep the window open), then the window goes. */
  close(): boolean {
    if (this.destroyed) return true
    const event = preventable()
    this.emit('close', event)
    if (event.defaultPrevented) return false
    this.destroy()
    return true
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.webContents.markDestroyed()
    windows.delete(this.id)
    link.notify('window-destroyed', { id: this.id })
    this.emit('closed')
    if (windows.size === 0) lastWindowClosed()
  }
}
