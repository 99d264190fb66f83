/** What `require('electron')` gives the app's main process under the stand-in (see entry.ts). */
import { app } from './app'
import { BrowserWindow } from './browser-window'
import { dialog } from './dialog'
import { ipcMain } from './ipc-main'
import { Menu, MenuItem } from './menu'
import { protocol, session } from './protocol'
import { nativeTheme, Notification, screen, shell } from './system'
import { utilityProcess } from './utility-process'

export { app, BrowserWindow, dialog, ipcMain, Menu, MenuItem, protocol, session, nativeTheme, Notification, screen, shell, utilityProcess }
