import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../host/content-security-policy'
import {
  allowPermission,
  appOrigin,
  isAllowedNavigation,
  isTrustedSender,
  mainWindowOptions,
  originOf,
  windowOpenPolicy,
  withContentSecurityPolicy
} from './security-policy'

describe('Electron security policy', () => {
  it('isolates and sandboxes the renderer', () => {
    const options = mainWindowOptions({ preload: '/app/out/preload/index.js', bounds: { x: 10, y: 20, width: 1000, height: 700 } })
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false
    })
    expect(options).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, show: false })
  })

  it('keeps the size sane without saved bounds', () => {
    const options = mainWindowOptions({ preload: 'p' })
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0)
    expect(options.x).toBeUndefined()
  })

  it('tells app:// pages apart by host although URL.origin calls them all "null"', () => {
    expect(new URL('app://studio/index.html').origin).toBe('null')
    expect(originOf('app://studio/index.html#/train')).toBe(appOrigin)
    expect(originOf('app://evil/index.html')).toBe('app://evil')
    expect(originOf('http://localhost:5173/src/main.ts')).toBe('http://localhost:5173')
    expect(originOf('file:///etc/passwd')).toBeNull()
    expect(originOf('not a url')).toBeNull()
  })

  it('lets the window navigate only within the app', () => {
    expect(isAllowedNavigation('app://studio/index.html?x=1', appOrigin)).toBe(true)
    expect(isAllowedNavigation('https://example.com/', appOrigin)).toBe(false)
    expect(isAllowedNavigation('file:///home/me/face.png', appOrigin)).toBe(false)
    expect(isAllowedNavigation('app://studio.evil.com/', appOrigin)).toBe(false)
    expect(isAllowedNavigation('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isAllowedNavigation('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
  })

  it('denies new windows and every permission', () => {
    expect(windowOpenPolicy()).toEqual({ action: 'deny' })
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(allowPermission(permission)).toBe(false)
    }
  })

  it('answers IPC only from the main frame of an app window showing the app', () => {
    const trusted = { webContentsIds: new Set([3]), origin: appOrigin }
    const ok = { webContentsId: 3, frameUrl: 'app://studio/index.html', isMainFrame: true }
    expect(isTrustedSender(ok, trusted)).toBe(true)
    expect(isTrustedSender({ ...ok, webContentsId: 4 }, trusted)).toBe(false)
    expect(isTrustedSender({ ...ok, isMainFrame: false }, trusted)).toBe(false)
    expect(isTrustedSender({ ...ok, frameUrl: undefined }, trusted)).toBe(false)
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, trusted)).toBe(false)
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///tmp/x.html' }, trusted)).toBe(false)
  })

  it('puts the app CSP in place of whatever the server sent', () => {
    const policy = contentSecurityPolicy()
    const headers = withContentSecurityPolicy({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] }, policy)
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] })
    expect(withContentSecurityPolicy(undefined, policy)).toEqual({ 'Content-Security-Policy': [policy] })
  })

  it('allows the dev server, and only it, in dev mode', () => {
    const policy = contentSecurityPolicy({ devServer: 'http://localhost:5173/' })
    expect(policy).toContain("script-src 'self' http://localhost:5173;")
    expect(policy).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173;")
    expect(policy).toContain("object-src 'none'")
    expect(contentSecurityPolicy()).not.toContain('localhost')
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/)
  })
})
