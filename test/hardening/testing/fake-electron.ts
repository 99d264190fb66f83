/**
 * A recording stand-in for the parts of Electron's main-process API the app uses, so the real
 * `src/main/index.ts` can start under vitest (the Electron binary is not installed here) and a
 * test can check what it asked Electron for: the window's options, the session's hooks, the
 * scheme's privileges, and in what order. Only calls are recorded; nothing is rendered.
 */
import { EventEmitter } from 'node:events'

export interface FakeWebContents extends EventEmitter {
  id: number
  windowOpenHandler?: (details: { url: string }) => { action: string }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void
  send(channel: string, message: unknown): void
  isDestroyed(): boolean
}

let nextContentsId = 1

export function fakeWebContents(): FakeWebContents {
  return Object.assign(new EventEmitter(), {
    id: nextContentsId++,
    windowOpenHandler: undefined as FakeWebContents['windowOpenHandler'],
    setWindowOpenHandler(this: FakeWebContents, handler: NonNullable<FakeWebContents['windowOpenHandler']>) {
      this.windowOpenHandler = handler
    },
    send: () => undefined,
    isDestroyed: () => false
  })
}

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void
) => void

/** What the app asked for, in order, and the hooks it installed. */
export const recorded = {
  calls: [] as string[],
  schemes: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
  windows: [] as Array<{
    options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>
    url?: string
    webContents: FakeWebContents
  }>,
  headersListener: null as HeadersListener | null,
  permissionRequest: null as ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  permissionCheck: null as ((contents: unknown, permission: string) => boolean) | null,
  ipcHandlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  utilityForks: [] as string[]
}

const appEvents = new EventEmitter()
let markReady!: () => void
const ready = new Promise<void>((resolve) => (markReady = resolve))

export const app = {
  isPackaged: true,
  whenReady: () => ready,
  enableSandbox: () => void recorded.calls.push('app.enableSandbox'),
  requestSingleInstanceLock: () => true,
  setAppUserModelId: () => undefined,
  getAppPath: () => '/nonexistent/app',
  getPath: () => '/nonexistent/user-data',
  on: (event: string, listener: (...args: unknown[]) => void) => appEvents.on(event, listener),
  emit: (event: string, ...args: unknown[]) => appEvents.emit(event, ...args),
  quit: () => void recorded.calls.push('app.quit'),
  exit: (code: number) => void recorded.calls.push(`app.exit ${code}`)
}

/** Lets `app.whenReady()` resolve, as Electron does once it has initialised. */
export function becomeReady(): void {
  recorded.calls.push('ready')
  markReady()
}

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived: (listener: HeadersListener) => {
        recorded.calls.push('session.onHeadersReceived')
        recorded.headersListener = listener
      }
    },
    setPermissionRequestHandler: (handler: NonNullable<typeof recorded.permissionRequest>) => {
      recorded.calls.push('session.setPermissionRequestHandler')
      recorded.permissionRequest = handler
    },
    setPermissionCheckHandler: (handler: NonNullable<typeof recorded.permissionCheck>) => {
      recorded.calls.push('session.setPermissionCheckHandler')
      recorded.permissionCheck = handler
    }
  }
}

export const protocol = {
  registerSchemesAsPrivileged: (schemes: typeof recorded.schemes) => {
    recorded.calls.push('protocol.registerSchemesAsPrivileged')
    recorded.schemes.push(...schemes)
  },
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
    recorded.calls.push(`protocol.handle ${scheme}`)
    recorded.protocolHandlers.set(scheme, handler)
  }
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = fakeWebContents()
  private readonly entry: (typeof recorded.windows)[number]

  constructor(options: (typeof recorded.windows)[number]['options']) {
    super()
    recorded.calls.push('new BrowserWindow')
    this.entry = { options, webContents: this.webContents }
    recorded.windows.push(this.entry)
    // Electron announces every new web contents, the window's own included.
    appEvents.emit('web-contents-created', {}, this.webContents)
  }

  loadURL(url: string): Promise<void> {
    recorded.calls.push(`loadURL ${url}`)
    this.entry.url = url
    return Promise.resolve()
  }

  getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 820 })
  isMaximized = () => false
  isMinimized = () => false
  maximize = () => undefined
  restore = () => undefined
  show = () => undefined
  focus = () => undefined
}

export const screen = { getAllDisplays: () => [] }
export const Menu = { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: () => undefined }
export class Notification extends EventEmitter {
  static isSupported = () => false
  show = () => undefined
}
export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true, filePath: undefined })
}
export const ipcMain = {
  handle: (channel: string, handler: (event: unknown, payload: unknown) => unknown) => void recorded.ipcHandlers.set(channel, handler),
  removeHandler: (channel: string) => void recorded.ipcHandlers.delete(channel),
  on: () => undefined,
  off: () => undefined
}
export const utilityProcess = {
  fork: (modulePath: string) => {
    recorded.utilityForks.push(modulePath)
    return Object.assign(new EventEmitter(), { stdout: null, stderr: null, postMessage: () => undefined, kill: () => true })
  }
}
