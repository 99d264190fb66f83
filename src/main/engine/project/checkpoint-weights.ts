/**
 * `weights.bin`: every tensor's float32 data back to back, little-endian whatever the machine,
 * so a project copied between machines loads bit for bit. Bytes are copied, never read as
 * numbers, so NaN payloads and -0 survive too.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { endianness } from 'node:os'
import type { NamedArray, TensorEntry } from './checkpoint-manifest'

const bigEndianHost = endianness() === 'BE'

export function elementCount(shape: number[]): number {
  return shape.reduce((product, size) => product * size, 1)
}

function littleEndianBytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return bigEndianHost ? Buffer.from(bytes).swap32() : bytes
}

/** Writes and fsyncs `file`, returning where each array landed and the file's sha256. */
export async function writeWeights(file: string, arrays: NamedArray[]): Promise<{ entries: TensorEntry[]; bytes: number; sha256: string }> {
  const hash = createHash('sha256')
  const entries: TensorEntry[] = []
  const handle = await fs.open(file, 'wx')
  try {
    let offset = 0
    for (const array of arrays) {
      const bytes = littleEndianBytes(array.data)
      hash.update(bytes)
      for (let written = 0; written < bytes.byteLength;) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.byteLength - written, offset + written)
        written += bytesWritten
      }
      entries.push({ name: array.name, shape: [...array.shape], dtype: 'float32', offset, bytes: bytes.byteLength })
      offset += bytes.byteLength
    }
    await handle.sync()
    return { entries, bytes: offset, sha256: hash.digest('hex') }
  } finally {
    await handle.close()
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * Describes what is wrong with `entries` as a layout of a `fileBytes`-long weights.bin, or null
 * when every tensor lies inside the file and its length fits its shape.
 */
export function layoutProblem(entries: TensorEntry[], fileBytes: number): string | null {
  for (const entry of entries) {
    if (entry.bytes !== elementCount(entry.shape) * 4) {
      return `tensor ${entry.name} has ${entry.bytes} bytes, its shape [${entry.shape}] needs ${elementCount(entry.shape) * 4}`
    }
    if (entry.offset % 4 !== 0 || entry.offset + entry.bytes > fileBytes) {
      return `tensor ${entry.name} lies outside weights.bin (offset ${entry.offset}, ${entry.bytes} bytes)`
    }
  }
  return null
}

/** Copies each entry's bytes out of `weights` into its own Float32Array. */
export function readArrays(weights: Uint8Array, entries: TensorEntry[]): NamedArray[] {
  return entries.map((entry) => {
    const data = new Float32Array(entry.bytes / 4)
    const target = new Uint8Array(data.buffer)
    target.set(weights.subarray(entry.offset, entry.offset + entry.bytes))
    if (bigEndianHost) Buffer.from(data.buffer).swap32()
    return { name: entry.name, shape: [...entry.shape], data }
  })
}
