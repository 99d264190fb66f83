/**
 * The "is it faces?" rule on real face crops and on patterns: a wrong answer either prints a face
 * figure for stripes or withholds it from a face set.
 */
import { readdirSync } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { faceSet } from '../../../../test/support/datasets'
import { createFaceFinder } from '../faces'
import { facesSampleSize, facesShown, sampleRows } from './faces-shown'

const finder = createFaceFinder({ workers: 1 })
afterAll(() => finder.close())

/** Seeded images of a folder as the import makes them: whole files cropped to a 64-px square, grey. */
async function crops(folder: string): Promise<RawImage[]> {
  const files = readdirSync(folder)
    .filter((f) => /\.(png|jpe?g|pgm)$/i.test(f))
    .sort()
  return Promise.all(
    sampleRows(files.length, facesSampleSize, 0).map(async (i) => {
      const data = await sharp(path.join(folder, files[i])).greyscale().resize(64, 64, { fit: 'cover' }).raw().toBuffer()
      return { width: 64, height: 64, channels: 1 as const, pixels: new Uint8Array(data) }
    })
  )
}

/** Stripes of several widths and phases, 32-px colour, as the e2e's non-face folder imports them. */
async function stripes(): Promise<RawImage[]> {
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

describe('facesShown', () => {
  it('finds no face in striped patterns', async () => {
    const shown = await facesShown(await stripes(), { finder })
    expect(shown).toMatchObject({ checked: facesSampleSize, applies: false })
    expect(shown.withFace).toBeLessThanOrEqual(2)
  }, 120_000)

  for (const set of ['olivetti_faces_64', 'orl_faces'] as const) {
    it(`finds faces in most ${set} crops`, async (context) => {
      const folder = faceSet(set)
      if (!folder) return context.skip()
      const shown = await facesShown(await crops(folder), { finder })
      expect(shown.applies).toBe(true)
      expect(shown.withFace).toBeGreaterThanOrEqual(16)
    }, 120_000)
  }
})
