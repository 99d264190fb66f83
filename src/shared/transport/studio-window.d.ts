/**
 * `window.studio` as the renderer sees it: present in the Electron app (from the preload),
 * absent in serve mode, where the renderer connects a WebSocket instead.
 */
import type { StudioBridge } from './studio-bridge'

declare global {
  interface Window {
    studio?: StudioBridge
  }
}
