/**
 * Hand-made file bytes that no encoder would write: headers that lie about their size
 * (decompression bombs), executables, and real images cut short. Built from sharp's own output
 * where possible, so each file is exactly one lie away from a valid image.
 */
import { deflateSync } from 'node:zlib'
import sharp, { type Sharp } from 'sharp'
import { Rng } from '../../../src/main/engine/random/rng'
import { pngChunk } from '../../../src/main/engine/export/png-text'

export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A valid PNG header declaring width × height RGB pixels, followed by a token IDAT. */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([pngSignature, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(4096))), pngChunk('IEND', Buffer.alloc(0))])
}

/** Offset of the first JPEG marker `code` (0xFFxx) after SOI. */
function jpegMarker(bytes: Buffer, code: number): number {
  for (let i = 2; i < bytes.length - 1; i++) if (bytes[i] === 0xff && bytes[i + 1] === code) return i
  throw new Error(`no JPEG marker ff${code.toString(16)}`)
}

/** A real baseline JPEG whose SOF0 frame header is rewritten to declare width × height. */
export async function jpegBomb(width: number, height: number): Promise<Buffer> {
  const bytes = Buffer.from(await solidImage(16, 16, [90, 120, 200]).jpeg({ quality: 80 }).toBuffer())
  const sof = jpegMarker(bytes, 0xc0)
  bytes.writeUInt16BE(height, sof + 5)
  bytes.writeUInt16BE(width, sof + 7)
  return bytes
}

/** A real lossy WebP whose VP8 frame header is rewritten to the format's maximum, 16383². */
export async function webpBomb(): Promise<Buffer> {
  const bytes = Buffer.from(await solidImage(16, 16, [30, 200, 90]).webp({ quality: 80 }).toBuffer())
  const start = bytes.indexOf(Buffer.from([0x9d, 0x01, 0x2a]))
  if (bytes.toString('ascii', 12, 16) !== 'VP8 ' || start < 0) throw new Error('sharp did not write a simple lossy WebP')
  bytes.writeUInt16LE(16383, start + 3)
  bytes.writeUInt16LE(16383, start + 5)
  return bytes
}

/** A real GIF whose logical screen and only frame claim 65535 × 65535 pixels. */
export async function gifBomb(): Promise<Buffer> {
  const bytes = Buffer.from(await solidImage(8, 8, [200, 20, 20]).gif().toBuffer())
  bytes.writeUInt16LE(65535, 6)
  bytes.writeUInt16LE(65535, 8)
  const descriptor = bytes.indexOf(0x2c, 13)
  bytes.writeUInt16LE(65535, descriptor + 5)
  bytes.writeUInt16LE(65535, descriptor + 7)
  return bytes
}

/** A minimal little-endian TIFF declaring 100000 × 100000 gray pixels in one 64-byte strip. */
export function tiffBomb(): Buffer {
  const side = 100_000
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, 4, side], // ImageWidth, LONG
    [257, 4, side], // ImageLength
    [258, 3, 8], // BitsPerSample, SHORT
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: black is zero
    [273, 4, 0], // StripOffsets (patched below)
    [277, 3, 1], // SamplesPerPixel
    [278, 4, side], // RowsPerStrip
    [279, 4, 64] // StripByteCounts
  ]
  const ifdOffset = 8
  const ifdBytes = 2 + entries.length * 12 + 4
  const dataOffset = ifdOffset + ifdBytes
  const out = Buffer.alloc(dataOffset + 64)
  out.write('II', 0, 'ascii')
  out.writeUInt16LE(42, 2)
  out.writeUInt32LE(ifdOffset, 4)
  out.writeUInt16LE(entries.length, ifdOffset)
  entries.forEach(([tag, type, value], i) => {
    const at = ifdOffset + 2 + i * 12
    out.writeUInt16LE(tag, at)
    out.writeUInt16LE(type, at + 2)
    out.writeUInt32LE(1, at + 4)
    if (type === 3) out.writeUInt16LE(value, at + 8)
    else out.writeUInt32LE(tag === 273 ? dataOffset : value, at + 8)
  })
  return out
}

/** The first 64 bytes of an x86-64 Linux executable (ELF header), then code-looking bytes. */
export function elfExecutable(): Buffer {
  const header = Buffer.alloc(64)
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header)
  header.writeUInt16LE(2, 16) // ET_EXEC
  header.writeUInt16LE(0x3e, 18) // x86-64
  header.writeUInt32LE(1, 20)
  return Buffer.concat([header, seededBytes(512, 3)])
}

/** A DOS/Windows executable stub ("MZ" … "PE\0\0"). */
export function peExecutable(): Buffer {
  const bytes = Buffer.alloc(256)
  bytes.write('MZ', 0, 'ascii')
  bytes.writeUInt32LE(0x80, 0x3c)
  bytes.write('PE\0\0', 0x80, 'latin1')
  return bytes
}

export function seededBytes(length: number, seed: number): Buffer {
  const rng = new Rng(seed)
  const bytes = Buffer.alloc(length)
  for (let i = 0; i < length; i++) bytes[i] = rng.int(256)
  return bytes
}

export function solidImage(width: number, height: number, rgb: [number, number, number]): Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
}

/** Raw interleaved pixels from a per-pixel function, as a sharp input. */
export function drawImage(width: number, height: number, channels: 1 | 2 | 3 | 4, pixel: (x: number, y: number) => number[]): Sharp {
  const data = Buffer.alloc(width * height * channels)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * channels)
  return sharp(data, { raw: { width, height, channels } })
}

/** A 64×64 photo-like image (seeded noise over a gradient): compresses poorly, so cuts land mid-data. */
export function noisyImage(seed: number): Sharp {
  const rng = new Rng(seed)
  return drawImage(64, 64, 3, (x, y) => [(x * 4 + rng.int(40)) & 255, (y * 4 + rng.int(40)) & 255, rng.int(256)])
}
