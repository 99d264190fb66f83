/**
 * Text chunks in PNG files (ISO/IEC 15948 §11.3.4): enough of the chunk layer to add one iTXt
 * chunk to a PNG that sharp encoded, and to find it again. sharp (libvips) writes no custom text
 * chunks, and the chunk format is small and frozen, so a dependency would buy nothing.
 */
import { crc32, inflateSync } from 'node:zlib'

const signature = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10)

interface Chunk {
  type: string
  data: Uint8Array
  /** Byte offset just past the chunk (after its CRC). */
  end: number
}

function* chunks(png: Uint8Array): Generator<Chunk> {
  if (png.length < 8 || signature.some((b, i) => png[i] !== b)) throw new Error('not a PNG file')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  let at = 8
  while (at + 12 <= png.length) {
    const length = view.getUint32(at)
    const end = at + 12 + length
    if (end > png.length) throw new Error('the PNG file is truncated')
    const typeAndData = png.subarray(at + 4, at + 8 + length)
    if (crc32(typeAndData) !== view.getUint32(at + 8 + length)) throw new Error('a PNG chunk is corrupt (CRC mismatch)')
    const type = String.fromCharCode(...typeAndData.subarray(0, 4))
    yield { type, data: typeAndData.subarray(4), end }
    if (type === 'IEND') return
    at = end
  }
  throw new Error('the PNG file has no IEND chunk')
}

/** One PNG chunk: length, type, data and CRC-32 (also used by tests that craft hostile PNGs). */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(Buffer.from(type, 'latin1'), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

function checkKeyword(keyword: string): void {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword) || keyword.startsWith(' ') || keyword.endsWith(' ') || keyword.includes('  ')) {
    throw new Error(`invalid PNG text keyword: ${JSON.stringify(keyword)}`)
  }
}

/** Returns a copy of `png` with an uncompressed UTF-8 iTXt chunk right after IHDR, where readers that stop early still see it. */
export function addPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  checkKeyword(keyword)
  const first = chunks(png).next()
  if (first.done || first.value.type !== 'IHDR') throw new Error('the PNG file does not start with IHDR')
  // keyword, NUL, compression flag 0, method 0, empty language tag + NUL, empty translated keyword + NUL, text.
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Uint8Array.of(0, 0, 0, 0, 0), Buffer.from(text, 'utf8')])
  const insertAt = first.value.end
  const extra = pngChunk('iTXt', data)
  const out = new Uint8Array(png.length + extra.length)
  out.set(png.subarray(0, insertAt), 0)
  out.set(extra, insertAt)
  out.set(png.subarray(insertAt), insertAt + extra.length)
  return out
}

/** The text of the first iTXt or tEXt chunk with this keyword, or null. Throws on a malformed PNG. */
export function readPngText(png: Uint8Array, keyword: string): string | null {
  for (const { type, data } of chunks(png)) {
    if (type !== 'iTXt' && type !== 'tEXt') continue
    const nul = data.indexOf(0)
    if (nul < 0 || Buffer.from(data.subarray(0, nul)).toString('latin1') !== keyword) continue
    if (type === 'tEXt') return Buffer.from(data.subarray(nul + 1)).toString('latin1')
    const compressed = data[nul + 1] === 1
    const languageEnd = data.indexOf(0, nul + 3)
    const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1)
    if (translatedEnd < 0) continue
    const body = data.subarray(translatedEnd + 1)
    return Buffer.from(compressed ? inflateSync(body) : body).toString('utf8')
  }
  return null
}
