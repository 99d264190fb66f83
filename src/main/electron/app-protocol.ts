/**
 * Serves the built renderer at app://studio/ instead of file://: the page gets an origin of its
 * own (file:// pages share one and can read other local files), the CSP travels as a real
 * header, and the IPC sender check can compare origins.
 */
import { promises as fs } from 'node:fs'
import { protocol } from 'electron'
import { lookupStaticFile, mimeType } from '../host/static-files'
import { appOrigin, appScheme } from './security-policy'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }
  ])
}

export function setupAppProtocol(rendererDir: string, policy: string): void {
  const headers = { 'Content-Security-Policy': policy, 'X-Content-Type-Options': 'nosniff' }
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url)
    if (`${url.protocol}//${url.host}` !== appOrigin) return new Response('not found', { status: 404, headers })
    // The folder is resolved once per request, so a rebuild during development is picked up.
    const root = await fs.realpath(rendererDir)
    const found = await lookupStaticFile(root, url.pathname)
    if (found.status !== 200) return new Response(found.reason, { status: found.status, headers })
    return new Response(await fs.readFile(found.file), { headers: { ...headers, 'Content-Type': mimeType(found.file) } })
  })
}
