/**
 * An image file's upright size from its first bytes, without decoding it: what a folder survey
 * needs to tell a folder of face crops (every image the same small size) from a folder of photos
 * before any net runs. PNG and JPEG are read here (JPEG's EXIF orientation 5–8 swaps the sides);
 * other formats through sharp's header reader, where sharp loads.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { loadSharp } from '../image/image-libraries'
import { readJpegHeader } from './jpeg-markers'

export interface ImageShape {
  width: number
  height: number
}

/** Enough for a JPEG header behind a camera's EXIF block and thumbnail; one buffer, reused. */
const head = Buffer.alloc(256 * 1024)

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The upright size, or null when the head of the file does not tell it. */
export async function readImageShape(file: Buffer): Promise<ImageShape | null> {
  const length = readHead(file)
  if (length < 24) return null
  const bytes = head.subarray(0, length)
  if (pngSignature.every((byte, i) => bytes[i] === byte)) return pngShape(bytes)
  const jpeg = readJpegHeader(bytes)
  if (jpeg)
    return jpeg.orientation !== null && jpeg.orientation >= 5
      ? { width: jpeg.height, height: jpeg.width }
      : { width: jpeg.width, height: jpeg.height }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return null
  const sharp = loadSharp()
  if (!sharp) return null
  try {
    // A copy: the shared buffer is read into again while sharp works.
    const { width, height, orientation } = await sharp(Buffer.from(bytes)).metadata()
    if (!width || !height) return null
    return orientation && orientation >= 5 ? { width: height, height: width } : { width, height }
  } catch {
    return null
  }
}

/** Bytes read into `head` (0 when the file cannot be read). */
function readHead(file: Buffer): number {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return 0
  }
  try {
    return readSync(fd, head, 0, head.length, 0)
  } catch {
    return 0
  } finally {
    closeSync(fd)
  }
}

/** IHDR is always the first chunk: width and height at bytes 16–23. */
function pngShape(head: Buffer): ImageShape | null {
  if (head.toString('latin1', 12, 16) !== 'IHDR') return null
  const width = head.readUInt32BE(16)
  const height = head.readUInt32BE(20)
  return width > 0 && height > 0 ? { width, height } : null
}
