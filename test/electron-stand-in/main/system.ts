/** The small parts of Electron the app touches besides windows: screen, notifications, shell, webUtils. */
import { requireReady } from './lifecycle'

const display = {
  id: 1,
  scaleFactor: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 }
}

export const screen = {
  getAllDisplays() {
    requireReady("The 'screen' module can't be used before the app 'ready' event")
    return [structuredClone(display)]
  },
  getPrimaryDisplay() {
    requireReady("The 'screen' module can't be used before the app 'ready' event")
    return structuredClone(display)
  }
}

/** A headless Linux session has no notification server: Electron says notifications are unsupported. */
export class Notification {
  static isSupported = (): boolean => false
  show(): void {}
  on(): this {
    return this
  }
}

export const shell = {
  openPath: async () => 'opening files is not supported by the stand-in',
  openExternal: async () => undefined,
  showItemInFolder: () => undefined
}

export const nativeTheme = { shouldUseDarkColors: false, themeSource: 'system', on: () => nativeTheme }
