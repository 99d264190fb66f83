import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodePhoto, reducedSize, type DecodedPhoto } from './decode-photo'

const W = 60
const H = 40

/** Grey, with a red block in the top-left corner and a blue one in the bottom-right, upright. */
function upright(): Buffer {
  const pixels = Buffer.alloc(W * H * 3, 128)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const at = (y * W + x) * 3
      if (x < 12 && y < 12) pixels.set([230, 20, 20], at)
      if (x >= W - 12 && y >= H - 12) pixels.set([20, 20, 230], at)
    }
  }
  return pixels
}

/** Stored turned so that a viewer applying `orientation` shows the upright picture. */
async function stored(orientation: 1 | 3 | 6 | 8): Promise<Buffer> {
  const turn = { 1: 0, 6: 270, 8: 90, 3: 180 }[orientation]
  const turned = await sharp(upright(), { raw: { width: W, height: H, channels: 3 } })
    .rotate(turn)
    .raw()
    .toBuffer({ resolveWithObject: true })
  const image = sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: 3 } })
  return (orientation === 1 ? image : image.withMetadata({ orientation })).jpeg({ quality: 95 }).toBuffer()
}

function pixel(photo: DecodedPhoto, x: number, y: number): number[] {
  const at = (y * photo.width + x) * 3
  return Array.from(photo.pixels.subarray(at, at + 3))
}

function decoded(result: DecodedPhoto | { reason: string }): DecodedPhoto {
  if ('reason' in result) throw new Error(result.reason)
  return result
}

describe('decodePhoto', () => {
  for (const decoder of ['sharp', 'napi'] as const) {
    it(`turns EXIF-oriented photos (6, 8, 3) upright (${decoder})`, async () => {
      for (const orientation of [1, 6, 8, 3] as const) {
        const photo = decoded(await decodePhoto(await stored(orientation), 1600, { decoder }))
        expect([photo.width, photo.height, photo.fullWidth, photo.fullHeight], `orientation ${orientation}`).toEqual([W, H, W, H])
        const [r, , b] = pixel(photo, 3, 3)
        expect(r - b, `red top-left, orientation ${orientation}`).toBeGreaterThan(100)
        const [r2, , b2] = pixel(photo, W - 3, H - 3)
        expect(b2 - r2, `blue bottom-right, orientation ${orientation}`).toBeGreaterThan(100)
      }
    })
  }

  it('gives grey photos as RGB with equal channels', async () => {
    const grey = await sharp(upright(), { raw: { width: W, height: H, channels: 3 } })
      .toColourspace('b-w')
      .jpeg()
      .toBuffer()
    const photo = decoded(await decodePhoto(grey, 1600))
    expect(photo.pixels.length).toBe(W * H * 3)
    const [r, g, b] = pixel(photo, 3, 3)
    expect(r).toBe(g)
    expect(g).toBe(b)
  })

  it('converts CMYK JPEGs to sRGB', async () => {
    const cmyk = await sharp(upright(), { raw: { width: W, height: H, channels: 3 } })
      .toColourspace('cmyk')
      .jpeg({ quality: 95 })
      .toBuffer()
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk')
    const photo = decoded(await decodePhoto(cmyk, 1600))
    const [r, g, b] = pixel(photo, 3, 3)
    expect(r).toBeGreaterThan(150)
    expect(Math.max(g, b)).toBeLessThan(110)
  })

  it('flattens alpha onto black', async () => {
    const rgba = Buffer.alloc(W * H * 4, 200)
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0
    const png = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer()
    const photo = decoded(await decodePhoto(png, 1600))
    expect(pixel(photo, 10, 10)).toEqual([0, 0, 0])
  })

  it('decodes a 6000×4000 photo at reduced size, reporting its full size', async () => {
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 90, g: 120, b: 150 } } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer()
    const rss = process.memoryUsage().rss
    const photo = decoded(await decodePhoto(big, 1600))
    expect([photo.fullWidth, photo.fullHeight]).toEqual([4000, 6000])
    expect([photo.width, photo.height]).toEqual([1067, 1600])
    // Never held at full size (72 MB of RGB).
    expect(process.memoryUsage().rss - rss).toBeLessThan(60 * 2 ** 20)
    expect(reducedSize(6000, 4000, 1600)).toEqual({ width: 1600, height: 1067 })
    expect(reducedSize(800, 600, 1600)).toEqual({ width: 800, height: 600 })
  })

  it('words what is not a photo as the dataset import does', async () => {
    expect(await decodePhoto(new Uint8Array(0), 1600)).toEqual({ reason: 'empty file' })
    expect(await decodePhoto(Buffer.from('just some text, not pixels'), 1600)).toEqual({ reason: 'not an image' })
    const jpeg = await stored(1)
    const broken = await decodePhoto(jpeg.subarray(0, jpeg.length / 2), 1600)
    expect('reason' in broken && broken.reason).toMatch(/^truncated or corrupt image: /)
  })
})
