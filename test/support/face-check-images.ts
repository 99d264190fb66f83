/**
 * Images the faces check (src/main/engine/quality/faces-shown.ts) is tried on, for its tests and
 * its measurements: seeded crops of a face folder as the import makes them, and striped patterns
 * that are not faces.
 */
import { readdirSync } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import type { RawImage } from '../../src/shared/images'
import { facesSampleSize, sampleRows } from '../../src/main/engine/quality/faces-shown'

/** `count` seeded files of `folder`, cropped whole to a grey `size`-px square. */
export async function folderCrops(folder: string, size: number, count = facesSampleSize): Promise<RawImage[]> {
  const files = readdirSync(folder)
    .filter((f) => /\.(png|jpe?g|pgm)$/i.test(f))
    .sort()
  return Promise.all(
    sampleRows(files.length, count, 0).map(async (i) => {
      const data = await sharp(path.join(folder, files[i])).greyscale().resize(size, size, { fit: 'cover' }).raw().toBuffer()
      return { width: size, height: size, channels: 1 as const, pixels: new Uint8Array(data) }
    })
  )
}

/** Stripes of several widths and phases, 32-px colour, as the e2e's non-face folder imports them. */
export async function stripePatterns(): Promise<RawImage[]> {
  const images: RawImage[] = []
  for (let i = 0; i < facesSampleSize; i++) {
    const pixels = Buffer.alloc(48 * 48 * 3)
    for (let p = 0; p < pixels.length; p++) pixels[p] = (Math.floor(p / 3 / (2 + (i % 7))) * 37 + i * 11) % 256
    const data = await sharp(pixels, { raw: { width: 48, height: 48, channels: 3 } })
      .resize(32, 32)
      .raw()
      .toBuffer()
    images.push({ width: 32, height: 32, channels: 3, pixels: new Uint8Array(data) })
  }
  return images
}
