/** Installs the native menu and rebuilds it when the recent projects change. */
import { Menu } from 'electron'
import type { AppCommand } from '../../shared/transport/app-command'
import { existingProjects } from '../host/recent-projects'
import type { ElectronSettingsStore } from './electron-settings-store'
import { menuTemplate } from './menu-template'

export function setupMenu(options: { settings: ElectronSettingsStore; run(command: AppCommand): void }): void {
  let shown = ''
  const build = (recent: string[]) => {
    const recentProjects = existingProjects(recent)
    const key = JSON.stringify(recentProjects)
    if (key === shown) return
    shown = key
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, recentProjects, run: options.run })))
  }
  build(options.settings.get().recentProjects)
  options.settings.onChange((settings) => build(settings.recentProjects))
}
