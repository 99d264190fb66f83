/** Laying images out as a contact sheet and encoding PNGs (sharp, or @napi-rs/image without it). */
import type { RawImage } from '../../../shared/images'
import { requireImageLibrary } from './image-libraries'
import { fromRgba, toRgba } from './pixel-layout'

/**
 * Tiles same-sized images row by row with a `gap`-pixel border. Grayscale images are widened to
 * RGB when mixed with colour ones so one sheet can hold both.
 */
export function composeGrid(images: RawImage[], columns: number, gap = 2): RawImage {
  if (images.length === 0) throw new Error('no images to lay out')
  const { width, height } = images[0]
  if (images.some((img) => img.width !== width || img.height !== height)) throw new Error('grid images must all have the same size')
  const channels: 1 | 3 = images.every((img) => img.channels === 1) ? 1 : 3
  const cols = Math.min(columns, images.length)
  const rows = Math.ceil(images.length / cols)
  const outW = cols * width + (cols + 1) * gap
  const outH = rows * height + (rows + 1) * gap
  const pixels = new Uint8Array(outW * outH * channels).fill(255)
  images.forEach((img, i) => {
    const x0 = gap + (i % cols) * (width + gap)
    const y0 = gap + Math.floor(i / cols) * (height + gap)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const src = (y * width + x) * img.channels
        const dst = ((y0 + y) * outW + x0 + x) * channels
        for (let c = 0; c < channels; c++) pixels[dst + c] = img.pixels[src + (img.channels === 1 ? 0 : c)]
      }
    }
  })
  return { width: outW, height: outH, channels, pixels }
}

/** Grey stays grey with sharp; the fallback writes RGBA (the Rust encoder takes RGBA only). */
export async function encodePng(image: RawImage): Promise<Uint8Array> {
  const library = requireImageLibrary()
  const buffer =
    'sharp' in library
      ? await library
          .sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } })
          .png({ compressionLevel: 6 })
          .toBuffer()
      : await library.napi.Transformer.fromRgbaPixels(toRgba(image), image.width, image.height).png()
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
}

/** A JPEG of `image` and what a viewer decodes from it, for size-against-quality comparisons. */
export async function jpegRoundTrip(image: RawImage, quality: number): Promise<{ jpeg: Uint8Array; decoded: Uint8Array }> {
  const library = requireImageLibrary()
  if ('sharp' in library) {
    const jpeg = await library
      .sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } })
      .jpeg({ quality })
      .toBuffer()
    const decoded = await library
      .sharp(jpeg)
      .toColourspace(image.channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer()
    return { jpeg, decoded }
  }
  const jpeg = await library.napi.Transformer.fromRgbaPixels(toRgba(image), image.width, image.height).jpeg(quality)
  return { jpeg, decoded: fromRgba(await new library.napi.Transformer(jpeg).rawPixels(), image.channels) }
}
