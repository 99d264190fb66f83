/**
 * A photo's bytes to upright RGB pixels for the face nets. EXIF orientation is applied, grey,
 * CMYK, 16-bit and alpha photos become plain 8-bit sRGB, and a big photo is decoded at reduced
 * size (libjpeg's shrink-on-load, then Lanczos) so a 6000×4000 picture never sits in memory at
 * full size. The full upright size is reported too: coordinates go back to that frame.
 *
 * sharp decodes; where it cannot load (a libvips that will not load inside some Electron
 * builds on Linux), @napi-rs/image does, slower for big photos but without native libvips.
 */
import { errMessage } from '../image/error-message'
import { loadNapiImage, loadSharp, type NapiImageModule, type SharpModule } from '../image/image-libraries'

export interface DecodedPhoto {
  /** RGB, row-major, interleaved. */
  pixels: Uint8Array
  width: number
  height: number
  /** The upright photo's size before any reduction: what results are expressed in. */
  fullWidth: number
  fullHeight: number
}

export type Decoder = 'auto' | 'sharp' | 'napi'

/** Photos with more pixels than this are refused before decoding (decompression bombs). */
export const defaultMaxPixels = 100_000_000

/** The decoded photo, or the reason it is not one (worded like the dataset import's skips). */
export async function decodePhoto(
  bytes: Uint8Array,
  maxSide: number,
  { decoder = 'auto', maxPixels = defaultMaxPixels }: { decoder?: Decoder; maxPixels?: number } = {}
): Promise<DecodedPhoto | { reason: string }> {
  if (bytes.length === 0) return { reason: 'empty file' }
  const sharp = decoder === 'napi' ? null : loadSharp()
  if (sharp) return decodeWithSharp(sharp, bytes, maxSide, maxPixels)
  const napi = decoder === 'sharp' ? null : loadNapiImage()
  if (napi) return decodeWithNapi(napi, bytes, maxSide, maxPixels)
  return { reason: `cannot decode photos here: ${decoder === 'napi' ? '@napi-rs/image' : 'sharp'} failed to load` }
}

/** The size a `maxSide` limit gives (never enlarged), as sharp's `fit: 'inside'` rounds it. */
export function reducedSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const longer = Math.max(width, height)
  if (longer <= maxSide) return { width, height }
  const scale = maxSide / longer
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

async function decodeWithSharp(
  sharp: SharpModule,
  bytes: Uint8Array,
  maxSide: number,
  maxPixels: number
): Promise<DecodedPhoto | { reason: string }> {
  let failure: unknown
  // libvips keeps one error buffer for all threads; a message wiped by another decode reads
  // "Unknown error", and decoding once more gives the real one (see dataset/decode-image.ts).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      const meta = await image.metadata()
      const quarterTurn = (meta.orientation ?? 1) >= 5
      const fullWidth = quarterTurn ? meta.height : meta.width
      const fullHeight = quarterTurn ? meta.width : meta.height
      const target = reducedSize(fullWidth, fullHeight, maxSide)
      let pipeline = image.autoOrient()
      if (target.width !== fullWidth || target.height !== fullHeight) {
        pipeline = pipeline.resize(target.width, target.height, { fit: 'fill', kernel: 'lanczos3' })
      }
      const { data, info } = await pipeline
        .flatten({ background: { r: 0, g: 0, b: 0 } })
        .toColourspace('srgb')
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true })
      if (info.channels !== 3) return { reason: `truncated or corrupt image: decoded to ${info.channels} channels` }
      return {
        pixels: new Uint8Array(data.buffer, data.byteOffset, data.length),
        width: info.width,
        height: info.height,
        fullWidth,
        fullHeight
      }
    } catch (err) {
      failure = err
      if (errMessage(err) !== 'Unknown error') break
    }
  }
  const message = errMessage(failure)
  if (message.includes('exceeds pixel limit')) return { reason: `too large: exceeds the limit of ${maxPixels} pixels` }
  if (message.includes('unsupported image format')) return { reason: 'not an image' }
  return { reason: `truncated or corrupt image: ${message}` }
}

async function decodeWithNapi(
  napi: NapiImageModule,
  bytes: Uint8Array,
  maxSide: number,
  maxPixels: number
): Promise<DecodedPhoto | { reason: string }> {
  try {
    const meta = await new napi.Transformer(Buffer.from(bytes)).metadata(true)
    if (meta.width * meta.height > maxPixels)
      return { reason: `too large: ${meta.width}×${meta.height} pixels exceeds the limit of ${maxPixels}` }
    const orientation = meta.orientation ?? 1
    const quarterTurn = orientation >= 5
    const fullWidth = quarterTurn ? meta.height : meta.width
    const fullHeight = quarterTurn ? meta.width : meta.height
    const target = reducedSize(fullWidth, fullHeight, maxSide)
    const transformer = new napi.Transformer(Buffer.from(bytes))
    if (orientation !== 1) transformer.rotate(orientation)
    if (target.width !== fullWidth || target.height !== fullHeight) {
      transformer.fastResize({
        width: target.width,
        height: target.height,
        filter: napi.FastResizeFilter.Lanczos3,
        fit: napi.ResizeFit.Fill
      })
    }
    // Raw pixels come in the file's own layout (grey, grey+alpha, RGB or RGBA at 8 bits here).
    const raw = await transformer.rawPixels()
    const channels = raw.length / (target.width * target.height)
    if (meta.colorType > napi.JsColorType.Rgba8 || ![1, 2, 3, 4].includes(channels)) {
      return { reason: 'truncated or corrupt image: not an 8-bit photo the fallback decoder can read' }
    }
    const pixels = new Uint8Array(target.width * target.height * 3)
    const colour = channels >= 3
    const alphaAt = channels === 2 || channels === 4 ? channels - 1 : -1
    for (let i = 0, j = 0; j < pixels.length; i += channels, j += 3) {
      // Alpha over black, as sharp's flatten does.
      const alpha = alphaAt < 0 ? 255 : raw[i + alphaAt]
      for (let c = 0; c < 3; c++) {
        const value = raw[i + (colour ? c : 0)]
        pixels[j + c] = alpha === 255 ? value : Math.round((value * alpha) / 255)
      }
    }
    return { pixels, width: target.width, height: target.height, fullWidth, fullHeight }
  } catch (err) {
    const message = errMessage(err)
    return { reason: /unsupported|format/i.test(message) ? 'not an image' : `truncated or corrupt image: ${message}` }
  }
}
