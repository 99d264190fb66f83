/**
 * The Electron window's security rules as plain functions, so they are tested without the
 * Electron binary; the `setupXxx` modules only plug them into Electron's hooks. Type-only
 * imports from `electron`: loading this file must not load Electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron'

/** The renderer is served from this privileged custom scheme, never from file://. */
export const appScheme = 'app'
export const appOrigin = `${appScheme}://studio`

/**
 * `scheme://host[:port]` of a URL. WHATWG `URL.origin` is "null" for custom schemes like app://,
 * which would make every app:// page look alike, so it is built by hand.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null
  } catch {
    return null
  }
}

export function mainWindowOptions(options: {
  preload: string
  bounds?: { x?: number; y?: number; width: number; height: number }
}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    ...options.bounds,
    minWidth: 900,
    minHeight: 600,
    title: 'VAE Studio',
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A file dropped outside the drop zone must not replace the app with the file.
      navigateOnDragDrop: false,
      spellcheck: false
    }
  }
}

/** Only the app's own pages may be shown in its window; links elsewhere do nothing. */
export function isAllowedNavigation(url: string, trustedOrigin: string): boolean {
  return originOf(url) === trustedOrigin
}

/** New windows (window.open, target=_blank) are never created. */
export function windowOpenPolicy(): { action: 'deny' } {
  return { action: 'deny' }
}

/** The studio needs no camera, microphone, geolocation, notifications or clipboard from the page. */
export function allowPermission(_permission: string): boolean {
  return false
}

export interface SenderInfo {
  webContentsId: number
  /** The sending frame's URL, or undefined when the frame is already gone. */
  frameUrl: string | undefined
  isMainFrame: boolean
}

/** IPC is answered only for the main frame of one of the app's own windows, showing the app. */
export function isTrustedSender(sender: SenderInfo, trusted: { webContentsIds: ReadonlySet<number>; origin: string }): boolean {
  return (
    trusted.webContentsIds.has(sender.webContentsId) &&
    sender.isMainFrame &&
    sender.frameUrl !== undefined &&
    originOf(sender.frameUrl) === trusted.origin
  )
}

/** Response headers with the app's CSP in place of any the server sent (in any letter case). */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined, policy: string): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy')
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [policy] }
}
