/**
 * Images cross process and transport boundaries as plain pixel buffers: structured-clone safe
 * for Electron IPC and the engine process, and tagged as base64 by the WebSocket codec.
 */
export interface RawImage {
  width: number
  height: number
  /** 1 = grayscale, 3 = RGB; row-major, interleaved, 8 bits per channel. */
  channels: 1 | 3
  pixels: Uint8Array
}
