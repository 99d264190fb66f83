/**
 * Electron's start-up order: the main script runs first, `ready` comes after it (on a later
 * turn), and several APIs throw when used before that, as they do in Electron itself.
 */
import { EventEmitter } from 'node:events'

let isReady = false
let markReady!: () => void
export const whenReady = new Promise<void>((resolve) => (markReady = resolve))
export const appEvents = new EventEmitter()

export function ready(): boolean {
  return isReady
}

export function becomeReady(): void {
  appEvents.emit('will-finish-launching')
  isReady = true
  markReady()
  appEvents.emit('ready', {}, {})
}

/** Throws Electron's own words when `what` is used before the app is ready. */
export function requireReady(message: string): void {
  if (!isReady) throw new Error(message)
}

/** Set by `app`: windows need to know whether the app is quitting, and how to quit. */
export const lifecycle = { quitting: false, quit: (): void => undefined }

/** The last window closed: Electron quits unless the app listens for this (and not while quitting). */
export function lastWindowClosed(): void {
  if (lifecycle.quitting) return
  if (appEvents.listenerCount('window-all-closed') > 0) appEvents.emit('window-all-closed')
  else lifecycle.quit()
}

/** An event argument whose default a listener can prevent, as Electron's are. */
export function preventable(): { defaultPrevented: boolean; preventDefault(): void } {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true
    }
  }
}
