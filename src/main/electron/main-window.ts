/** The one studio window: hardened options, reopened where the user left it. */
import { BrowserWindow, screen } from 'electron'
import type { ElectronSettingsStore } from './electron-settings-store'
import { mainWindowOptions } from './security-policy'

export function createMainWindow(options: { preload: string; url: string; settings: ElectronSettingsStore }): BrowserWindow {
  const bounds = options.settings.windowBounds(screen.getAllDisplays())
  const window = new BrowserWindow(mainWindowOptions({ preload: options.preload, bounds }))
  if (bounds?.maximized) window.maximize()
  window.once('ready-to-show', () => window.show())
  window.on('close', () => {
    options.settings.saveWindowBounds({ ...window.getNormalBounds(), maximized: window.isMaximized() })
  })
  void window.loadURL(options.url)
  return window
}
