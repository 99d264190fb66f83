/** RawImage → pixels a canvas can show. */
import type { RawImage } from '../../../shared/images'

/** Expands gray or RGB pixels to the RGBA layout of ImageData (alpha opaque). */
export function toRgba(image: RawImage): Uint8ClampedArray<ArrayBuffer> {
  const count = image.width * image.height
  const out = new Uint8ClampedArray(count * 4)
  const src = image.pixels
  if (image.channels === 1) {
    for (let i = 0; i < count; i++) {
      const v = src[i]
      out[i * 4] = v
      out[i * 4 + 1] = v
      out[i * 4 + 2] = v
      out[i * 4 + 3] = 255
    }
  } else {
    for (let i = 0; i < count; i++) {
      out[i * 4] = src[i * 3]
      out[i * 4 + 1] = src[i * 3 + 1]
      out[i * 4 + 2] = src[i * 3 + 2]
      out[i * 4 + 3] = 255
    }
  }
  return out
}

/** Draws the image at its native size; CSS scales the canvas up. */
export function drawRawImage(canvas: HTMLCanvasElement, image: RawImage): void {
  if (canvas.width !== image.width) canvas.width = image.width
  if (canvas.height !== image.height) canvas.height = image.height
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  ctx.putImageData(new ImageData(toRgba(image), image.width, image.height), 0, 0)
}
