import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { generateDemoFaces } from '../demo/generate'
import { datasetRowToRawImage } from '../image/raw-images'
import { psnr } from '../latent/image-quality'
import { encodeGif, encodeWebp } from './animation'

const faces = generateDemoFaces(5, 9, 32)
const frames: RawImage[] = Array.from({ length: 5 }, (_, i) => datasetRowToRawImage(faces.images, i, 32, 3))

/** Decodes every frame of an animation back to RGB RawImages with sharp. */
async function decodeFrames(file: Uint8Array): Promise<{ frames: RawImage[]; delay?: number[]; loop?: number }> {
  const meta = await sharp(file, { animated: true }).metadata()
  const { data, info } = await sharp(file, { animated: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const pageHeight = meta.pageHeight ?? info.height
  const len = info.width * pageHeight * 3
  const decoded = Array.from({ length: meta.pages ?? 1 }, (_, i) => ({
    width: info.width,
    height: pageHeight,
    channels: 3 as const,
    pixels: new Uint8Array(data.subarray(i * len, (i + 1) * len))
  }))
  return { frames: decoded, delay: meta.delay, loop: meta.loop }
}

describe('animated exports', () => {
  it('GIF: every frame, in order, with its delay and loop count; palette error stays small', async () => {
    const gif = await encodeGif(frames, { delayMs: [100, 200, 300, 400, 500], loop: 0 })
    expect(Buffer.from(gif.subarray(0, 6)).toString('latin1')).toBe('GIF89a')
    const out = await decodeFrames(gif)
    expect(out.frames).toHaveLength(5)
    expect(out.delay).toEqual([100, 200, 300, 400, 500])
    expect(out.loop).toBe(0)
    out.frames.forEach((f, i) => {
      expect(psnr(f, frames[i])).toBeGreaterThan(28)
      // Each decoded frame is closest to its own source frame: nothing shuffled or dropped.
      const best = frames.map((src) => psnr(f, src)).indexOf(Math.max(...frames.map((src) => psnr(f, src))))
      expect(best).toBe(i)
    })
  })

  it('WebP: lossless frames, delay and a finite loop count', async () => {
    const webp = await encodeWebp(frames, { delayMs: 80, loop: 3 })
    expect(Buffer.from(webp.subarray(8, 12)).toString('latin1')).toBe('WEBP')
    const out = await decodeFrames(webp)
    expect(out.frames).toHaveLength(5)
    expect(out.delay).toEqual([80, 80, 80, 80, 80])
    expect(out.loop).toBe(3)
    out.frames.forEach((f, i) => expect(Buffer.compare(f.pixels, frames[i].pixels)).toBe(0))
  })

  it('encodes grayscale frames', async () => {
    const gray = frames.map((f) => ({ ...f, channels: 1 as const, pixels: f.pixels.filter((_, j) => j % 3 === 1) }))
    const out = await decodeFrames(await encodeGif(gray, { delayMs: 50, loop: 0 }))
    expect(out.frames).toHaveLength(5)
    expect(psnr({ ...out.frames[2], channels: 1, pixels: out.frames[2].pixels.filter((_, j) => j % 3 === 0) }, gray[2])).toBeGreaterThan(35)
  })

  it('refuses mismatched frames, delays and loop counts', async () => {
    await expect(encodeGif([], { delayMs: 10, loop: 0 })).rejects.toThrow(/at least one frame/)
    const small = { width: 8, height: 8, channels: 3 as const, pixels: new Uint8Array(192) }
    await expect(encodeGif([frames[0], small], { delayMs: 10, loop: 0 })).rejects.toThrow(/same size/)
    await expect(encodeGif(frames, { delayMs: [10, 20], loop: 0 })).rejects.toThrow(/2 delays for 5 frames/)
    await expect(encodeWebp(frames, { delayMs: 10, loop: -1 })).rejects.toThrow(/loop/)
  })
})
