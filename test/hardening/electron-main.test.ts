/**
 * Hardening, part 6a: the real Electron main (`src/main/index.ts`) started against a recording
 * stand-in for Electron, so the security rules are checked where they are wired up, not only as
 * pure functions: sandbox and scheme before ready, CSP and permission and navigation guards before
 * the window loads anything, the window's web preferences, IPC only for the contract's channels
 * and the app's own window, the engine outside the main process.
 */
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ipcChannels } from '../../src/shared/transport/ipc-channels'
import { contentSecurityPolicy } from '../../src/main/host/content-security-policy'
import { app, becomeReady, fakeWebContents, recorded, type FakeWebContents } from './testing/fake-electron'

vi.mock('electron', async () => await import('./testing/fake-electron'))
// electron-store loads the real Electron; the settings it would keep are not under test here.
vi.mock('electron-store', () => ({
  default: class {
    store: Record<string, unknown> = {}
    get(key: string): unknown {
      return this.store[key]
    }
    set(key: string | Record<string, unknown>, value?: unknown): void {
      if (typeof key === 'string') this.store[key] = value
      else this.store = { ...this.store, ...key }
    }
  }
}))

const appUrl = 'app://studio/index.html'

beforeAll(async () => {
  await import('../../src/main/index')
  // Before ready, only what must precede it has happened.
  expect(recorded.calls).not.toContain('new BrowserWindow')
  becomeReady()
  await vi.waitFor(() => expect(recorded.windows).toHaveLength(1), { timeout: 10_000 })
})

afterAll(() => {
  app.emit('will-quit')
})

function order(call: string): number {
  const index = recorded.calls.findIndex((c) => c === call || c.startsWith(`${call} `))
  expect(index, `${call} was never called`).toBeGreaterThanOrEqual(0)
  return index
}

/** Emits a navigation-like event on `contents` and says whether a guard prevented it. */
function prevented(contents: FakeWebContents, event: string, url: string): boolean {
  let stopped = false
  contents.emit(event, { url, preventDefault: () => (stopped = true) }, url)
  return stopped
}

describe('Electron main process (real index.ts, recording Electron)', () => {
  it('enables the sandbox and registers app:// without bypassing the CSP, before Electron is ready', () => {
    expect(order('app.enableSandbox')).toBeLessThan(order('ready'))
    expect(order('protocol.registerSchemesAsPrivileged')).toBeLessThan(order('ready'))
    expect(recorded.schemes).toHaveLength(1)
    const [{ scheme, privileges }] = recorded.schemes
    expect(scheme).toBe('app')
    expect(privileges).toMatchObject({ standard: true, secure: true })
    for (const dangerous of ['bypassCSP', 'allowServiceWorkers', 'stream']) expect(privileges[dangerous], dangerous).toBeFalsy()
  })

  it('installs the CSP, permission and navigation guards before the window loads anything', () => {
    const window = order('new BrowserWindow')
    for (const hook of [
      'session.onHeadersReceived',
      'session.setPermissionRequestHandler',
      'session.setPermissionCheckHandler',
      'protocol.handle app'
    ]) {
      expect(order(hook), hook).toBeLessThan(window)
    }
    expect(order(`loadURL ${appUrl}`)).toBeGreaterThan(window)
    // The window's own contents got the guards when Electron announced them.
    const [{ webContents }] = recorded.windows
    expect(webContents.listenerCount('will-navigate')).toBeGreaterThan(0)
    expect(webContents.windowOpenHandler).toBeDefined()
  })

  it('creates one window: isolated, sandboxed, no Node, web security on, the built preload, the app URL', () => {
    const [{ options, url }] = recorded.windows
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(String(options.webPreferences?.preload).endsWith(path.join('preload', 'index.js'))).toBe(true)
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures')
    expect(options.webPreferences).not.toHaveProperty('experimentalFeatures', true)
    expect(url).toBe(appUrl)
  })

  it('puts the app CSP on every response, replacing whatever the response carried', () => {
    const policy = contentSecurityPolicy()
    let headers: Record<string, string[]> = {}
    recorded.headersListener!(
      {
        responseHeaders: {
          'content-security-policy': ["default-src * 'unsafe-eval'"],
          'CONTENT-SECURITY-POLICY': ['script-src *'],
          'Content-Type': ['text/html']
        }
      },
      (response) => {
        headers = response.responseHeaders
      }
    )
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] })
    recorded.headersListener!({}, (response) => (headers = response.responseHeaders))
    expect(headers).toEqual({ 'Content-Security-Policy': [policy] })
    // What the policy itself forbids: foreign and inline scripts, eval, plugins, framing, base hijacks.
    const directives = Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))
    expect(directives['script-src']).toEqual(["'self'"])
    expect(directives['default-src']).toEqual(["'self'"])
    expect(directives['object-src']).toEqual(["'none'"])
    expect(directives['frame-ancestors']).toEqual(["'none'"])
    expect(directives['base-uri']).toEqual(["'none'"])
    expect(policy).not.toMatch(/unsafe-eval|\*/)
  })

  it('serves app:// from the renderer folder only, with the CSP on every answer', async () => {
    const handler = recorded.protocolHandlers.get('app')!
    const policy = contentSecurityPolicy()
    const index = await handler(new Request(appUrl))
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toBe(policy)
    expect(await index.text()).toMatch(/<html/i)
    for (const url of [
      'app://studio/..%2f..%2fpackage.json',
      'app://studio/%2e%2e/%2e%2e/package.json',
      'app://studio/..%5c..%5cpackage.json',
      'app://other/index.html',
      'app://studio/%00.html'
    ]) {
      const response = await handler(new Request(url))
      expect(response.status, url).toBeGreaterThanOrEqual(400)
      expect(response.headers.get('content-security-policy'), url).toBe(policy)
      expect(await response.text(), url).not.toMatch(/"name": "vae-studio"/)
    }
  })

  it('denies every permission request and check', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'clipboard-sanitized-write',
      'display-capture',
      'hid',
      'serial',
      'usb',
      'unknown'
    ]) {
      let granted: boolean | undefined
      recorded.permissionRequest!({}, permission, (answer) => (granted = answer))
      expect(granted, permission).toBe(false)
      expect(recorded.permissionCheck!({}, permission), permission).toBe(false)
    }
  })

  it('keeps every web contents on the app: no navigation away, no new windows, no webviews', () => {
    const later = fakeWebContents()
    app.emit('web-contents-created', {}, later)
    for (const contents of [recorded.windows[0].webContents, later]) {
      for (const event of ['will-navigate', 'will-redirect']) {
        expect(prevented(contents, event, 'app://studio/index.html#/train'), `${event} within the app`).toBe(false)
        for (const url of [
          'https://evil.example/',
          'file:///etc/passwd',
          'app://studio.evil.example/',
          'app://other/index.html',
          'http://127.0.0.1:5599/',
          'javascript:alert(1)',
          'data:text/html,<script>1</script>'
        ]) {
          expect(prevented(contents, event, url), `${event} to ${url}`).toBe(true)
        }
      }
      expect(prevented(contents, 'will-attach-webview', 'https://evil.example/')).toBe(true)
      for (const url of ['https://evil.example/', appUrl, 'about:blank'])
        expect(contents.windowOpenHandler!({ url }), url).toEqual({ action: 'deny' })
    }
  })

  it("answers IPC on the contract's channels only, and only from the app's own window", async () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual([...ipcChannels.values()].sort())
    const handler = recorded.ipcHandlers.get(ipcChannels.get('settingsGet')!)!
    const own = recorded.windows[0].webContents
    const sender = (id: number, url: string, mainFrame = true) => ({ sender: { id }, senderFrame: { url, parent: mainFrame ? null : {} } })
    const refused = { error: { code: 'invalid-request', message: 'the studio answers its own window only' } }
    expect(await handler(sender(own.id + 1000, appUrl), undefined)).toEqual(refused)
    expect(await handler(sender(own.id, 'https://evil.example/'), undefined)).toEqual(refused)
    expect(await handler(sender(own.id, appUrl, false), undefined)).toEqual(refused)
    expect(await handler(sender(own.id, appUrl), undefined)).toMatchObject({ result: { theme: expect.any(String) } })
  })

  it('runs the engine in a utility process, never in the main process', () => {
    expect(recorded.utilityForks).toHaveLength(1)
    expect(path.basename(recorded.utilityForks[0])).toBe('engine-process.js')
  })
})
