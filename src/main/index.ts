/**
 * The Electron main process: wires the host (which owns the engine process) to one hardened
 * window. Everything here is composition; the rules live in `electron/security-policy.ts` and
 * the studio itself in the host and the engine.
 */
import { statSync } from 'node:fs'
import * as path from 'node:path'
import { app, type BrowserWindow } from 'electron'
import { appCommandEvent, type AppCommand } from '../shared/transport/app-command'
import { setupMenu } from './electron/app-menu'
import { registerAppScheme, setupAppProtocol } from './electron/app-protocol'
import { createElectronSettingsStore } from './electron/electron-settings-store'
import { pickFolder, pickSaveFile } from './electron/folder-dialog'
import { setupIpc } from './electron/ipc'
import { createMainWindow } from './electron/main-window'
import { imageFolderFromArgv, projectFromArgv } from './electron/project-argument'
import { appOrigin, originOf } from './electron/security-policy'
import { setupSecurity } from './electron/setup-security'
import { setupSingleInstance } from './electron/single-instance'
import { setupTrainingNotifications } from './electron/training-notifications'
import { launchUtilityEngine } from './electron/utility-engine'
import { openStartupProject } from './host/startup-project'
import { createStudioHost } from './host/studio-host'
import { contentSecurityPolicy } from './host/content-security-policy'
import { messageOf } from '../shared/errors'

// electron-vite's dev server; a packaged or previewed app always serves the built files.
const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const appUrl = devServer ?? `${appOrigin}/index.html`
const trustedOrigin = originOf(appUrl) ?? appOrigin

let mainWindow: BrowserWindow | null = null
/** Set once the page has loaded and listens; commands given earlier wait in `queued`. */
let deliver: ((command: AppCommand) => void) | null = null
const queued: AppCommand[] = []

function runCommand(command: AppCommand): void {
  if (deliver) deliver(command)
  else queued.push(command)
}

function focusWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

/** A project given at launch, else a folder of images, else nothing (the built-in demo faces). */
function startupTarget(): string | undefined {
  const isFolder = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false
  return (
    projectFromArgv(process.argv, process.cwd()) ??
    imageFolderFromArgv(process.argv, process.cwd(), app.getAppPath(), isFolder) ??
    undefined
  )
}

async function start(): Promise<void> {
  await app.whenReady()
  app.setAppUserModelId('org.vae-studio.app')
  const settings = createElectronSettingsStore()
  const policy = contentSecurityPolicy({ devServer })
  setupSecurity({ trustedOrigin, policy })
  setupAppProtocol(path.join(__dirname, '../renderer'), policy)

  const host = createStudioHost({
    transport: 'electron',
    settings,
    launchEngine: () => launchUtilityEngine(path.join(__dirname, 'engine-process.js')),
    pickFolder: (purpose, defaultPath) => pickFolder(mainWindow, purpose, defaultPath),
    pickSaveFile: (defaultPath) => pickSaveFile(mainWindow, defaultPath),
    allowedRoots: []
  })
  const ipc = setupIpc({ host, trustedOrigin, windows: () => (mainWindow ? [mainWindow] : []) })
  setupMenu({ settings, run: runCommand })
  setupTrainingNotifications(host, focusWindow)

  mainWindow = createMainWindow({ preload: path.join(__dirname, '../preload/index.js'), url: appUrl, settings })
  mainWindow.webContents.once('did-finish-load', () => {
    deliver = (command) => {
      // A path from the menu or the command line is the user's own choice, like a dialog's.
      if (command.command === 'open-project' && command.path) host.allowRoot(command.path)
      ipc.sendEvent(appCommandEvent, command)
    }
    queued.splice(0).forEach(deliver)
  })
  // Opened while the page loads; the page shows it when it arrives (the engine announces it).
  openStartupProject(host, startupTarget(), app.getPath('userData')).catch((err: unknown) =>
    runCommand({ command: 'startup-failed', message: messageOf(err) })
  )
  mainWindow.on('closed', () => {
    mainWindow = null
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    ipc.dispose()
    void host.dispose()
  })
}

registerAppScheme()
app.enableSandbox()
const first = setupSingleInstance((argv, cwd) => {
  focusWindow()
  const project = projectFromArgv(argv, cwd)
  if (project) runCommand({ command: 'open-project', path: project })
})
if (first) {
  start().catch((err: unknown) => {
    console.error(err)
    app.exit(1)
  })
} else {
  app.quit()
}
