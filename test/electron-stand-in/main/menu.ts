/**
 * `Menu` built from the app's real template; the test clicks items by their labels (roles get
 * Electron's default labels), and the item's own `click` runs, or its role's action.
 */
import type { MenuEntry } from '../messages'
import { allWindows, BrowserWindow } from './browser-window'
import { lifecycle } from './lifecycle'
import { link } from './link'

interface Template {
  label?: string
  role?: string
  type?: string
  enabled?: boolean
  accelerator?: string
  sublabel?: string
  click?: (item: MenuItem, window: BrowserWindow | null, event: { triggeredByAccelerator: boolean }) => void
  submenu?: Template[] | Menu
}

const roleLabels: Record<string, string> = {
  appMenu: 'App',
  fileMenu: 'File',
  editMenu: 'Edit',
  viewMenu: 'View',
  windowMenu: 'Window',
  help: 'Help',
  about: 'About',
  quit: 'Quit',
  close: 'Close Window'
}

export class MenuItem {
  readonly label: string
  readonly role?: string
  readonly type: string
  readonly enabled: boolean
  readonly submenu?: Menu
  private readonly onClick?: Template['click']

  constructor(template: Template) {
    this.role = template.role
    this.type = template.type ?? (template.submenu ? 'submenu' : 'normal')
    this.label = template.label ?? (template.role ? (roleLabels[template.role] ?? template.role) : '')
    this.enabled = template.enabled ?? true
    this.submenu =
      template.submenu instanceof Menu ? template.submenu : template.submenu ? Menu.buildFromTemplate(template.submenu) : undefined
    this.onClick = template.click
  }

  click(): void {
    if (!this.enabled) throw new Error(`menu item "${this.label}" is disabled`)
    const focused = BrowserWindow.getFocusedWindow() ?? allWindows()[0] ?? null
    if (this.onClick) return this.onClick(this, focused, { triggeredByAccelerator: false })
    if (this.role === 'quit') return lifecycle.quit()
    if (this.role === 'close') return void focused?.close()
  }
}

export class Menu {
  static applicationMenu: Menu | null = null
  readonly items: MenuItem[]

  constructor(items: MenuItem[] = []) {
    this.items = items
  }

  static buildFromTemplate(template: Template[]): Menu {
    return new Menu(template.map((item) => new MenuItem(item)))
  }

  static setApplicationMenu(menu: Menu | null): void {
    Menu.applicationMenu = menu
  }

  static getApplicationMenu(): Menu | null {
    return Menu.applicationMenu
  }
}

function entries(menu: Menu): MenuEntry[] {
  return menu.items
    .filter((item) => item.type !== 'separator')
    .map((item) => ({ label: item.label, enabled: item.enabled, ...(item.submenu ? { submenu: entries(item.submenu) } : {}) }))
}

link.handle('menu-entries', () => (Menu.applicationMenu ? entries(Menu.applicationMenu) : []))

link.handle('menu-click', (labels: string[]) => {
  let items = Menu.applicationMenu?.items ?? []
  let item: MenuItem | undefined
  for (const label of labels) {
    item = items.find((candidate) => candidate.label === label)
    if (!item)
      throw new Error(
        `no menu item "${label}" (there are: ${items
          .map((i) => i.label)
          .filter(Boolean)
          .join(', ')})`
      )
    items = item.submenu?.items ?? []
  }
  if (!item) throw new Error('name the menu item to click')
  item.click()
})
