/**
 * Encoding images that are not dataset rows (a noisy copy, an imported PNG): the model only
 * accepts its own size and channel count, so a mismatch is refused with a message rather than
 * silently resized here; resizing belongs to import, where the user's fit option applies.
 */
import type { RawImage } from '../../../shared/images'
import { decodeCodes, encodeRows } from '../inference/inference'
import type { VaeModel } from '../model/vae-model'

/** Mean codes μ, one per image. */
export function encodeImages(model: VaeModel, images: readonly RawImage[]): number[][] {
  const { imageSize: size, channels } = model.config
  const wrong = images.find((img) => img.width !== size || img.height !== size || img.channels !== channels)
  if (wrong) {
    throw new Error(
      `the model takes ${size}×${size} images with ${channels} channel(s), got ${wrong.width}×${wrong.height} with ${wrong.channels}`
    )
  }
  const len = size * size * channels
  const pixels = new Uint8Array(images.length * len)
  images.forEach((img, i) => pixels.set(img.pixels, i * len))
  return encodeRows(
    model,
    { images: pixels, size, channels },
    images.map((_, i) => i)
  ).mu
}

/** Encode to μ and decode: the model's best guess of each image, without sampling noise. */
export function reconstructImages(model: VaeModel, images: readonly RawImage[]): RawImage[] {
  return decodeCodes(model, encodeImages(model, images))
}
