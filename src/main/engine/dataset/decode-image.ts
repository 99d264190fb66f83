/**
 * One source file's bytes to one square training image, or the reason it cannot be one. Small
 * plain JPEGs take a faster decoder (see small-jpeg-decoder.ts); everything else, and anything
 * that decoder declines, goes to sharp (or, where sharp cannot load, to napi-decoder.ts). What
 * cannot be decoded becomes a reason the user reads, so they can tell a text file from a damaged
 * photo from a decompression bomb.
 */
import type { DatasetOptions } from '../../../shared/config'
import { loadSharp, type SharpModule } from '../image/image-libraries'
import type { DecodeOutcome } from './decode-outcome'
import { errMessage } from '../image/error-message'
import { decodeWithNapi } from './napi-decoder'
import { decodeSmallJpeg } from './small-jpeg-decoder'

const black = { r: 0, g: 0, b: 0, alpha: 1 }

export async function decodeImage(bytes: Buffer, options: DatasetOptions): Promise<DecodeOutcome> {
  const pixels = await decodeSmallJpeg(bytes, options)
  if (pixels) return { pixels }
  const sharp = loadSharp()
  return sharp ? decodeWithSharp(sharp, bytes, options) : decodeWithNapi(bytes, options)
}

async function decodeWithSharp(sharp: SharpModule, bytes: Buffer, options: DatasetOptions): Promise<DecodeOutcome> {
  let failure: unknown
  // libvips keeps one error buffer for all threads: another decode finishing at the same moment
  // can wipe this one's message, leaving sharp to say "Unknown error". A broken file is rare, so
  // decoding it once more for a reason the user can act on costs little.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await resizeToSquare(sharp, bytes, options)
    } catch (err) {
      failure = err
      if (errMessage(err) !== 'Unknown error') break
    }
  }
  if (errMessage(failure).includes('exceeds pixel limit')) return { reason: await tooLarge(sharp, bytes, options.maxPixels) }
  return { reason: classify(failure) }
}

/**
 * The decompression-bomb guard is sharp's `limitInputPixels`: it compares the header's declared
 * width × height with the limit before a single pixel is decoded. A separate metadata() call up
 * front would do the same check at the cost of a second libvips pipeline for every image (about
 * a tenth of the import time), so the header is read again only to name a refused file's size.
 */
async function tooLarge(sharp: SharpModule, bytes: Buffer, maxPixels: number): Promise<string> {
  const size = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .then(({ width, height }) => `${width}×${height} pixels`)
    .catch(() => 'its pixel count')
  return `too large: ${size} exceeds the limit of ${maxPixels}`
}

async function resizeToSquare(
  sharp: SharpModule,
  bytes: Buffer,
  { size, fit, channels, maxPixels }: DatasetOptions
): Promise<DecodeOutcome> {
  // failOn 'error' refuses truncated and undecodable data but keeps photos whose only fault is
  // a decoder warning (stray bytes after a marker and the like), which viewers show fine.
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
    .autoOrient()
    .resize(size, size, { fit: fit === 'crop' ? 'cover' : 'contain', position: 'centre', background: black })
    .flatten({ background: black })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  if (info.width !== size || info.height !== size || info.channels !== channels) {
    return { reason: `truncated or corrupt image: decoded to ${info.width}×${info.height}×${info.channels}` }
  }
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) }
}

function classify(err: unknown): string {
  const message = errMessage(err)
  if (message.includes('unsupported image format')) return 'not an image'
  return `truncated or corrupt image: ${message}`
}
