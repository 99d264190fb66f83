/**
 * Plugs the rules of `security-policy.ts` into Electron: the CSP on every response (the dev
 * server's included), no permissions, no navigation away from the app, no new windows, no webviews.
 */
import { app, session } from 'electron'
import { allowPermission, isAllowedNavigation, windowOpenPolicy, withContentSecurityPolicy } from './security-policy'

export function setupSecurity(options: { trustedOrigin: string; policy: string }): void {
  const defaultSession = session.defaultSession
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, options.policy) })
  })
  defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)))
  defaultSession.setPermissionCheckHandler((_contents, permission) => allowPermission(permission))

  app.on('web-contents-created', (_event, contents) => {
    const guard = (event: { url: string; preventDefault(): void }) => {
      if (!isAllowedNavigation(event.url, options.trustedOrigin)) event.preventDefault()
    }
    contents.on('will-navigate', guard)
    contents.on('will-redirect', guard)
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(windowOpenPolicy)
  })
}
