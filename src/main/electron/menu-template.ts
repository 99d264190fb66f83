/**
 * The native menu as data. Studio actions are not done here: each item hands an `AppCommand` to
 * the renderer, which runs it like its own buttons, so menu and page never disagree.
 */
import * as path from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import type { AppCommand } from '../../shared/transport/app-command'

export function menuTemplate(options: {
  platform: NodeJS.Platform
  recentProjects: readonly string[]
  run(command: AppCommand): void
}): MenuItemConstructorOptions[] {
  const { run } = options
  const mac = options.platform === 'darwin'
  const recent: MenuItemConstructorOptions[] =
    options.recentProjects.length === 0
      ? [{ label: 'No Recent Projects', enabled: false }]
      : options.recentProjects.map((project) => ({
          label: path.basename(project),
          sublabel: project,
          click: () => run({ command: 'open-project', path: project })
        }))
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => run({ command: 'new-project' }) },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => run({ command: 'open-project' }) },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => run({ command: 'save' }) },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => run({ command: 'export' }) },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' }
    ]
  }
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] }
  ]
}
