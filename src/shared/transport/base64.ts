/**
 * Base64 for byte arrays in both the browser and Node, without `Buffer`, so the WebSocket codec
 * runs unchanged on each side. Table-driven over byte arrays because Node's `btoa` on a binary
 * string managed under 10 MB/s, too slow for grids of images.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const encodeTable = new Uint8Array(64).map((_, i) => alphabet.charCodeAt(i))
const decodeTable = new Int16Array(128).fill(-1)
for (let i = 0; i < 64; i++) decodeTable[alphabet.charCodeAt(i)] = i
const pad = '='.charCodeAt(0)
const ascii = new TextDecoder()
const utf8 = new TextEncoder()

export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4)
  let o = 0
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out[o++] = encodeTable[n >> 18]
    out[o++] = encodeTable[(n >> 12) & 63]
    out[o++] = encodeTable[(n >> 6) & 63]
    out[o++] = encodeTable[n & 63]
  }
  const rest = bytes.length - i
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0)
    out[o++] = encodeTable[n >> 18]
    out[o++] = encodeTable[(n >> 12) & 63]
    out[o++] = rest === 2 ? encodeTable[(n >> 6) & 63] : pad
    out[o] = pad
  }
  return ascii.decode(out)
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const codes = utf8.encode(text)
  if (codes.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4')
  let padding = 0
  if (codes.length > 0 && codes[codes.length - 1] === pad) padding = codes[codes.length - 2] === pad ? 2 : 1
  const out = new Uint8Array((codes.length / 4) * 3 - padding)
  let o = 0
  for (let i = 0; i < codes.length; i += 4) {
    const last = i + 4 === codes.length
    const c2 = last && padding === 2 ? 0 : sextet(codes[i + 2])
    const c3 = last && padding >= 1 ? 0 : sextet(codes[i + 3])
    const n = (sextet(codes[i]) << 18) | (sextet(codes[i + 1]) << 12) | (c2 << 6) | c3
    out[o++] = n >> 16
    if (o < out.length) out[o++] = (n >> 8) & 255
    if (o < out.length) out[o++] = n & 255
  }
  return out
}

function sextet(code: number): number {
  const value = code < 128 ? decodeTable[code] : -1
  if (value < 0) throw new Error(`invalid base64 character ${String.fromCharCode(code)}`)
  return value
}
