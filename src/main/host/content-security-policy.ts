/**
 * The one Content-Security-Policy of the renderer, sent by the serve-mode server and by the
 * Electron app alike: only the app's own scripts run, nothing is framed or embedded, and the page
 * talks to its own origin only. Inline styles are allowed because Svelte sets style attributes.
 */
export function contentSecurityPolicy(options: { devServer?: string } = {}): string {
  // Vite's dev server (Electron dev mode) serves scripts and hot-reload over its own origin.
  const dev = options.devServer ? new URL(options.devServer) : null
  const devScripts = dev ? ` ${dev.origin}` : ''
  const devConnect = dev ? ` ${dev.origin} ${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : ''
  return [
    "default-src 'self'",
    `script-src 'self'${devScripts}`,
    `style-src 'self' 'unsafe-inline'${devScripts}`,
    "img-src 'self' data: blob:",
    `connect-src 'self'${devConnect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}
