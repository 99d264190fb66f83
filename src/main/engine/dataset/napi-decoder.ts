/**
 * Whole-file decoding through @napi-rs/image, for systems where sharp cannot load: whatever the
 * Rust `image` crate reads (JPEG, PNG, WebP, GIF's first frame, BMP, TIFF, ICO, AVIF), turned
 * upright by its EXIF orientation, resampled with Lanczos3, centre-cropped or letterboxed. It lacks
 * sharp's shrink-on-load (big photos decode at full size) and colour management (ICC profiles are
 * ignored); the studio says which library it runs on.
 */
import type { DatasetOptions } from '../../../shared/config'
import { loadNapiImage } from '../image/image-libraries'
import { placeOnSquare } from '../image/pixel-layout'
import type { DecodeOutcome } from './decode-outcome'
import { errMessage } from '../image/error-message'
import { scaledSize } from './small-jpeg-decoder'

export async function decodeWithNapi(bytes: Uint8Array, { size, fit, channels, maxPixels }: DatasetOptions): Promise<DecodeOutcome> {
  const image = loadNapiImage()
  if (!image) return { reason: 'unreadable: no image library could load (neither sharp nor @napi-rs/image)' }
  try {
    const { width, height, orientation = 1 } = await new image.Transformer(bytes).metadata(true)
    if (width * height > maxPixels) return { reason: `too large: ${width}×${height} pixels exceeds the limit of ${maxPixels}` }
    // EXIF orientations 5–8 turn the picture a quarter, swapping its sides.
    const [uprightWidth, uprightHeight] = orientation >= 5 ? [height, width] : [width, height]
    const scaled = scaledSize(uprightWidth, uprightHeight, size, fit)
    const transformer = new image.Transformer(bytes).rotate()
    transformer.fastResize({
      width: scaled.width,
      height: scaled.height,
      filter: image.FastResizeFilter.Lanczos3,
      fit: image.ResizeFit.Fill
    })
    const kept = fit === 'crop' ? { width: size, height: size } : scaled
    if (fit === 'crop') transformer.crop(Math.floor((scaled.width - size + 1) / 2), Math.floor((scaled.height - size + 1) / 2), size, size)
    const rgba = await transformer.rawPixels()
    if (rgba.length !== kept.width * kept.height * 4) return { reason: `truncated or corrupt image: decoded to ${rgba.length} bytes` }
    return { pixels: placeOnSquare(rgba, kept, size, channels) }
  } catch (err) {
    const message = errMessage(err)
    return {
      reason:
        /format|unsupported/i.test(message) && !/corrupt|truncat|eof/i.test(message)
          ? 'not an image'
          : `truncated or corrupt image: ${message}`
    }
  }
}
