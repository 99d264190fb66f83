/**
 * Why a 32-px dataset is judged from its source files: SSD scores of 48 Olivetti and ORL crops at
 * 32 px, shown to the detector as they are and upscaled (lanczos, cubic) to 64, 128 and 192 px,
 * beside striped patterns and noise. `npx tsx test/experiments/faces-small-measure.ts`.
 * Measured 2026-12-07 (faces ≥ 0.5 of 48): as they are 5 / 16, ×2 0 / 0, ×4 2 / 0, ×6 0 / 0;
 * stripes and noise never above 0.10. No upscaling brings the detector's faces back.
 */
import * as path from 'node:path'
import sharp from 'sharp'
import type { RawImage } from '../../src/shared/images'
import { createFaceFinder } from '../../src/main/engine/faces'
import { detectorInput, facesSampleSize } from '../../src/main/engine/quality/faces-shown'
import { datasetsRoot } from '../support/datasets'
import { folderCrops, stripePatterns } from '../support/face-check-images'

async function noise(): Promise<RawImage[]> {
  const images: RawImage[] = []
  let s = 1
  for (let i = 0; i < facesSampleSize; i++) {
    const pixels = new Uint8Array(32 * 32)
    for (let p = 0; p < pixels.length; p++) {
      s = (s * 1103515245 + 12345) % 2147483648
      pixels[p] = s % 256
    }
    images.push({ width: 32, height: 32, channels: 1, pixels })
  }
  return images
}
async function upscale(img: RawImage, side: number, kernel: 'lanczos3' | 'cubic' | 'nearest'): Promise<RawImage> {
  const data = await sharp(Buffer.from(img.pixels), { raw: { width: img.width, height: img.height, channels: img.channels } })
    .resize(side, side, { kernel })
    .raw()
    .toBuffer()
  return { width: side, height: side, channels: img.channels, pixels: new Uint8Array(data) }
}

async function main(): Promise<void> {
  const root = datasetsRoot()!
  const finder = createFaceFinder({ workers: 1 })
  const sets: Array<[string, RawImage[]]> = [
    ['olivetti32', await folderCrops(path.join(root, 'olivetti_faces_64'), 32, 48)],
    ['orl32', await folderCrops(path.join(root, 'orl_faces'), 32, 48)],
    ['stripes32', await stripePatterns()],
    ['noise32', await noise()]
  ]
  const variants: Array<[string, (im: RawImage) => Promise<RawImage>]> = [
    ['asis', async (im) => im],
    ['lz64', (im) => upscale(im, 64, 'lanczos3')],
    ['lz128', (im) => upscale(im, 128, 'lanczos3')],
    ['cub192', (im) => upscale(im, 192, 'cubic')],
    ['lz192', (im) => upscale(im, 192, 'lanczos3')]
  ]
  for (const [vname, v] of variants)
    for (const [sname, imgs] of sets) {
      const scores: number[] = []
      for (const im of imgs) {
        const found = await finder.findFaces(detectorInput(await v(im)), {
          detector: 'ssd',
          inputSize: 416,
          minScore: 0.05,
          landmarkNet: 'tiny',
          size: 32
        })
        scores.push(Math.max(0, ...found.faces.map((f) => f.score)))
      }
      scores.sort((a, b) => a - b)
      const at = (t: number) => scores.filter((s) => s >= t).length
      console.log(
        vname,
        sname,
        `n=${scores.length}`,
        `>=.5:${at(0.5)} >=.3:${at(0.3)} >=.2:${at(0.2)} >=.1:${at(0.1)}`,
        'median',
        scores[scores.length >> 1].toFixed(2),
        'max',
        scores.at(-1)!.toFixed(2)
      )
    }
  await finder.close()
}
void main()
