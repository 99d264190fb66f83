/** Electron's `app`: lifecycle events in Electron's order, paths, the single-instance lock, quit. */
import { readFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { allWindows } from './browser-window'
import { link } from './link'
import { appEvents, lifecycle, preventable, ready, whenReady } from './lifecycle'
import { requestLock } from './single-instance'
import { killUtilityProcesses } from './utility-process'

type Listener = Parameters<typeof appEvents.on>[1]

/** Where the app's code is, as for `electron .`: the folder holding package.json. */
const appPath = process.cwd()
const packageJson = JSON.parse(readFileSync(path.join(appPath, 'package.json'), 'utf8')) as {
  name: string
  productName?: string
  version: string
}
const switchValue = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const userData = switchValue('user-data-dir') ?? path.join(os.tmpdir(), `${packageJson.name}-stand-in`)
const paths: Record<string, string> = {
  home: os.homedir(),
  appData: path.dirname(userData),
  userData,
  sessionData: userData,
  temp: os.tmpdir(),
  exe: process.execPath,
  logs: path.join(userData, 'logs'),
  desktop: path.join(os.homedir(), 'Desktop'),
  documents: path.join(os.homedir(), 'Documents'),
  downloads: path.join(os.homedir(), 'Downloads'),
  pictures: path.join(os.homedir(), 'Pictures')
}

let sandboxEnabled = false

export const app = {
  isPackaged: false,
  commandLine: {
    appendSwitch: () => undefined,
    hasSwitch: (name: string) => process.argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
    getSwitchValue: (name: string) => switchValue(name) ?? ''
  },
  whenReady: () => whenReady,
  isReady: ready,
  on: (event: string, listener: Listener) => (appEvents.on(event, listener), app),
  once: (event: string, listener: Listener) => (appEvents.once(event, listener), app),
  off: (event: string, listener: Listener) => (appEvents.off(event, listener), app),
  removeListener: (event: string, listener: Listener) => (appEvents.off(event, listener), app),
  emit: (event: string, ...args: unknown[]) => appEvents.emit(event, ...args),
  listenerCount: (event: string) => appEvents.listenerCount(event),
  getName: () => packageJson.productName ?? packageJson.name,
  getVersion: () => packageJson.version,
  getLocale: () => 'en-US',
  getAppPath: () => appPath,
  getPath(name: string): string {
    const found = paths[name]
    if (!found) throw new Error(`Failed to get '${name}' path`)
    return found
  },
  setPath(name: string, value: string): void {
    paths[name] = value
  },
  setAppUserModelId: () => undefined,
  enableSandbox(): void {
    if (ready()) throw new Error('app.enableSandbox() can only be called before app is ready')
    sandboxEnabled = true
  },
  get sandboxEnabled() {
    return sandboxEnabled
  },
  requestSingleInstanceLock: () =>
    requestLock(userData, (argv, cwd) => void whenReady.then(() => appEvents.emit('second-instance', preventable(), argv, cwd, null))),
  focus: () => undefined,
  /** Before-quit, windows closed, will-quit, quit, then the process ends: Electron's order. */
  quit(): void {
    if (lifecycle.quitting) return
    lifecycle.quitting = true
    const beforeQuit = preventable()
    appEvents.emit('before-quit', beforeQuit)
    if (beforeQuit.defaultPrevented) return void (lifecycle.quitting = false)
    for (const window of allWindows()) if (!window.close()) return void (lifecycle.quitting = false)
    const willQuit = preventable()
    appEvents.emit('will-quit', willQuit)
    if (willQuit.defaultPrevented) return void (lifecycle.quitting = false)
    appEvents.emit('quit', preventable(), 0)
    app.exit(0)
  },
  exit(code = 0): void {
    killUtilityProcesses()
    link.notify('exit', { code })
    // A turn for the notice to leave before the process does.
    setImmediate(() => process.exit(code))
  }
}

lifecycle.quit = () => app.quit()
