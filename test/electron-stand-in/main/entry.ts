/**
 * Starts the app's real built main process under Node with the stand-in in place of the
 * `electron` module: `node --import tsx entry.ts <main bundle> [app arguments…]`, forked by the
 * test fixture with an IPC channel, in the app's folder.
 */
import Module from 'node:module'
import * as path from 'node:path'
import { link } from './link'
import { becomeReady, ready } from './lifecycle'
import { allWindows, windowById } from './browser-window'

const [mainBundle, ...appArgs] = process.argv.slice(2)
if (!mainBundle) throw new Error('usage: entry.ts <built main bundle> [app arguments…]')

// A plain CommonJS object, as Electron's own module is (no __esModule flag): the app's bundle and
// the electron-store it bundles import it both ways.
const electronModule = path.join(__dirname, 'electron.virtual.js')
const cached = new Module(electronModule)
cached.filename = electronModule
cached.loaded = true
cached.exports = { ...(require('./electron') as object) }
require.cache[electronModule] = cached
const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename
;(Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? electronModule : resolve.call(this, request, ...rest)
}

// As `electron .` sees it: the executable, the app folder, then the user's arguments.
process.argv = [process.execPath, process.cwd(), ...appArgs]

link.on('web-event', ({ id, event, detail }: { id: number; event: 'dom-ready' | 'did-finish-load' | 'did-fail-load'; detail?: string }) => {
  if (allWindows().some((w) => w.id === id)) windowById(id).webContents.pageEvent(event, detail)
})
link.on('web-navigated', ({ id, url }: { id: number; url: string }) => {
  if (allWindows().some((w) => w.id === id)) windowById(id).webContents.navigated(url)
})
link.handle('will-navigate', ({ id, url }: { id: number; url: string }) => windowById(id).webContents.willNavigate(url))
link.handle('window-open', ({ id, url }: { id: number; url: string }) => windowById(id).webContents.windowOpenAction(url))
link.handle('close-window', ({ id }: { id: number }) => windowById(id).close())
link.handle('quit', () => void require('./app').app.quit())
link.handle('is-ready', () => ready())

require(path.resolve(mainBundle))
// Electron is ready once the main script has run, on a later turn.
setImmediate(becomeReady)
