/**
 * Pixel layouts between the image libraries (RGBA) and the studio (grey or RGB rows), with grey
 * computed as libvips does, so the two libraries give the same training images.
 */
import type { RawImage } from '../../../shared/images'

/** RGBA to `channels`, centred on a black `size`² square (sharp embeds at (excess) / 2). */
export function placeOnSquare(rgba: Uint8Array, kept: { width: number; height: number }, size: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(size * size * channels)
  const left = Math.floor((size - kept.width) / 2)
  const top = Math.floor((size - kept.height) / 2)
  for (let y = 0; y < kept.height; y++) {
    let from = y * kept.width * 4
    let to = ((top + y) * size + left) * channels
    for (let x = 0; x < kept.width; x++, from += 4, to += channels) {
      if (channels === 3) {
        out[to] = rgba[from]
        out[to + 1] = rgba[from + 1]
        out[to + 2] = rgba[from + 2]
      } else {
        out[to] = greyLevel(rgba[from], rgba[from + 1], rgba[from + 2])
      }
    }
  }
  return out
}

/** RGBA pixels back to a studio image's grey or RGB bytes. */
export function fromRgba(rgba: Uint8Array, channels: 1 | 3): Uint8Array {
  const count = rgba.length / 4
  const out = new Uint8Array(count * channels)
  for (let i = 0; i < count; i++) {
    const [r, g, b] = [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]
    if (channels === 1) out[i] = greyLevel(r, g, b)
    else out.set([r, g, b], i * 3)
  }
  return out
}

/** A studio image as opaque RGBA, the input the Rust library and the GIF encoder take. */
export function toRgba(image: RawImage): Uint8Array {
  const count = image.width * image.height
  const rgba = new Uint8Array(count * 4)
  for (let i = 0; i < count; i++) {
    const from = i * image.channels
    rgba[i * 4] = image.pixels[from]
    rgba[i * 4 + 1] = image.pixels[from + (image.channels === 3 ? 1 : 0)]
    rgba[i * 4 + 2] = image.pixels[from + (image.channels === 3 ? 2 : 0)]
    rgba[i * 4 + 3] = 255
  }
  return rgba
}

const toLinear = Float64Array.from({ length: 256 }, (_, level) => {
  const c = level / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
})
/** Linear light halfway between neighbouring sRGB levels: the rounding points for encoding. */
const levelBoundaries = Float64Array.from({ length: 255 }, (_, level) => {
  const c = (level + 0.5) / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
})

/**
 * libvips' sRGB → b-w, which sharp uses: Rec. 709 luminance in linear light, encoded back to
 * sRGB (pure red is 127, not the 54 of a luma taken on the encoded values).
 */
export function greyLevel(r: number, g: number, b: number): number {
  const y = 0.2126 * toLinear[r] + 0.7152 * toLinear[g] + 0.0722 * toLinear[b]
  let low = 0
  let high = 255
  while (low < high) {
    const mid = (low + high) >> 1
    if (levelBoundaries[mid] <= y) low = mid + 1
    else high = mid
  }
  return low
}
