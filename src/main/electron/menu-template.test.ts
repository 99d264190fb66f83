import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { AppCommand } from '../../shared/transport/app-command'
import { menuTemplate } from './menu-template'

function fileMenu(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.find((item) => item.label === 'File')?.submenu as MenuItemConstructorOptions[]
}

function click(item: MenuItemConstructorOptions | undefined): void {
  ;(item?.click as () => void)()
}

describe('menuTemplate', () => {
  it('turns each File item into a renderer command, with the usual accelerators', () => {
    const sent: AppCommand[] = []
    const items = fileMenu(menuTemplate({ platform: 'linux', recentProjects: [], run: (c) => sent.push(c) }))
    const byLabel = (label: string) => items.find((item) => item.label === label)
    expect(byLabel('New Project…')?.accelerator).toBe('CmdOrCtrl+N')
    expect(byLabel('Open Project…')?.accelerator).toBe('CmdOrCtrl+O')
    expect(byLabel('Save')?.accelerator).toBe('CmdOrCtrl+S')
    expect(byLabel('Export…')?.accelerator).toBe('CmdOrCtrl+E')
    for (const label of ['New Project…', 'Open Project…', 'Save', 'Export…']) click(byLabel(label))
    expect(sent).toEqual([{ command: 'new-project' }, { command: 'open-project' }, { command: 'save' }, { command: 'export' }])
    expect(items.at(-1)).toEqual({ role: 'quit' })
  })

  it('lists recent projects by name, opening the chosen path', () => {
    const sent: AppCommand[] = []
    const items = fileMenu(
      menuTemplate({ platform: 'linux', recentProjects: ['/p/Faces.vaeproj', '/q/Cats.vaeproj'], run: (c) => sent.push(c) })
    )
    const recent = items.find((item) => item.label === 'Open Recent')?.submenu as MenuItemConstructorOptions[]
    expect(recent.map((item) => item.label)).toEqual(['Faces.vaeproj', 'Cats.vaeproj'])
    click(recent[1])
    expect(sent).toEqual([{ command: 'open-project', path: '/q/Cats.vaeproj' }])
    const empty = fileMenu(menuTemplate({ platform: 'linux', recentProjects: [], run: () => {} }))
    expect(empty.find((item) => item.label === 'Open Recent')?.submenu).toEqual([{ label: 'No Recent Projects', enabled: false }])
  })

  it('keeps the standard menus, and the macOS app menu on macOS', () => {
    const linux = menuTemplate({ platform: 'linux', recentProjects: [], run: () => {} })
    expect(linux.map((item) => item.role ?? item.label)).toEqual(['File', 'editMenu', 'viewMenu', 'windowMenu', 'help'])
    const mac = menuTemplate({ platform: 'darwin', recentProjects: [], run: () => {} })
    expect(mac[0]).toEqual({ role: 'appMenu' })
    expect(fileMenu(mac).at(-1)).toEqual({ role: 'close' })
  })
})
