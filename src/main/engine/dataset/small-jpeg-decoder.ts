/**
 * The fast lane for the files face datasets are made of: small 8-bit JPEGs (LFW's 250×250,
 * CelebA's 178×218). sharp spends ~4 ms of CPU on each of them, most of it setting up a libvips
 * pipeline, while @napi-rs/image (a Rust decoder and a SIMD resizer) takes under 1 ms, so an
 * import of such a folder runs several times faster. Large photos stay with sharp, whose
 * DCT-domain shrink-on-load beats decoding every pixel; so does anything this lane is not sure
 * to render as sharp would (ICC profiles, CMYK, 12-bit, lossless, unusual EXIF, slivers,
 * enlargements, damaged marker structure). Whatever this lane declines or fails on returns null
 * and goes to sharp, which also words the skip reasons.
 *
 * The output follows sharp's pipeline (auto-orient, Lanczos3, centre crop or letterbox on black,
 * sRGB or linear-light grey) and stays within a level on average of sharp resampling exactly
 * (two at 32 px for non-square sources). sharp's default shrink-on-load (decode at 1/2–1/8 size,
 * rounded up) shifts its own framing by up to ~1%, a few levels at 32 px.
 */
import type { DatasetOptions } from '../../../shared/config'
import { loadNapiImage } from '../image/image-libraries'
import { placeOnSquare } from '../image/pixel-layout'
import { readJpegHeader, scansAreWellFormed, type JpegHeader } from './jpeg-markers'

/**
 * Source pixels above which this lane stops paying: it decodes every pixel, while sharp's
 * shrink-on-load decodes big photos at 1/2 to 1/8 scale. Measured on 2 cores, 4 files in
 * flight, to 64 px: 250² 1,280 vs 340 img/s, 500² 430 vs 280, 600² even.
 */
export const SMALL_JPEG_MAX_PIXELS = 512 * 512

/** Largest intermediate image, in output squares: aspect ratios up to 4:1 are decoded here. */
const MAX_SCALED_AREA = 4

const BASELINE = 0xc0
const EXTENDED = 0xc1
const PROGRESSIVE = 0xc2

/** The training image, or null when sharp should decode this file instead. */
export async function decodeSmallJpeg(bytes: Uint8Array, { size, fit, channels, maxPixels }: DatasetOptions): Promise<Uint8Array | null> {
  const header = readJpegHeader(bytes)
  if (!header || header.orientation === null || !isSmallPlainJpeg(header, maxPixels)) return null
  const { width, height, orientation } = header
  // EXIF orientations 5–8 turn the picture a quarter, swapping its sides.
  const [uprightWidth, uprightHeight] = orientation >= 5 ? [height, width] : [width, height]
  const scaled = scaledSize(uprightWidth, uprightHeight, size, fit)
  // A sliver (1×65,000 is a valid small file) would be scaled to gigabytes before the crop.
  if (scaled.width * scaled.height > MAX_SCALED_AREA * size * size) return null
  // Enlarging samples differently from libvips (~4 levels apart); rare for photos, so sharp's.
  if (scaled.width > uprightWidth || scaled.height > uprightHeight) return null
  if (!scansAreWellFormed(bytes)) return null
  const image = loadNapiImage()
  if (!image) return null
  try {
    // The library applies its operations in a fixed order: orient, resize, then crop. Asking it
    // for the file's metadata would decode the whole image once more, so the header is the source.
    const transformer = new image.Transformer(bytes)
    if (orientation !== 1) transformer.rotate(orientation)
    transformer.fastResize({
      width: scaled.width,
      height: scaled.height,
      filter: image.FastResizeFilter.Lanczos3,
      fit: image.ResizeFit.Fill
    })
    const kept = fit === 'crop' ? { width: size, height: size } : scaled
    if (fit === 'crop') {
      // sharp's centre crop rounds the leftover half up: (excess + 1) / 2.
      transformer.crop(Math.floor((scaled.width - size + 1) / 2), Math.floor((scaled.height - size + 1) / 2), size, size)
    }
    const rgba = await transformer.rawPixels()
    if (rgba.length !== kept.width * kept.height * 4) return null
    return placeOnSquare(rgba, kept, size, channels)
  } catch {
    return null
  }
}

function isSmallPlainJpeg(header: JpegHeader, maxPixels: number): boolean {
  const pixels = header.width * header.height
  return (
    [BASELINE, EXTENDED, PROGRESSIVE].includes(header.frameMarker) &&
    header.precision === 8 &&
    (header.components === 1 || header.components === 3) &&
    !header.iccProfile &&
    !header.adobeMarker &&
    pixels > 0 &&
    pixels <= Math.min(SMALL_JPEG_MAX_PIXELS, maxPixels)
  )
}

/**
 * The size before the crop or letterbox: shorter side to `size` for a crop, longer side for a
 * letterbox (sharp's rule, without the rounding its shrink-on-load adds).
 */
export function scaledSize(width: number, height: number, size: number, fit: DatasetOptions['fit']): { width: number; height: number } {
  const scale = size / (fit === 'crop' ? Math.min(width, height) : Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}
