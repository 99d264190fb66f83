import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { renderDemoFace } from '../demo/render-face'
import { sampleDemoFactors } from '../demo/factors'
import { encodePng } from '../image/png'
import { Rng } from '../random/rng'
import { encodePngWithCode, pngCodeKeyword, readPngCode } from './png-code'
import { addPngText, readPngText } from './png-text'

const face: RawImage = { width: 32, height: 32, channels: 3, pixels: renderDemoFace(sampleDemoFactors(new Rng(4)), 32) }
const code = [0.1, -2.5, 1 / 3, 1e-12, 0, 7]

describe('PNG with a latent code', () => {
  it('round-trips the code, seed and checkpoint step exactly', async () => {
    const png = await encodePngWithCode(face, { code, seed: 42, checkpointStep: 1200 })
    expect(readPngCode(png)).toEqual({ code, seed: 42, checkpointStep: 1200 })
    expect(readPngCode(await encodePngWithCode(face, { code }))).toEqual({ code })
  })

  it('is a valid PNG other decoders read: same pixels, and the text chunk is visible to libvips', async () => {
    const png = await encodePngWithCode(face, { code, seed: 1 })
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([32, 32, 3])
    expect(Buffer.compare(data, face.pixels)).toBe(0)
    const { comments } = await sharp(png).metadata()
    const ours = comments?.find((c) => c.keyword === pngCodeKeyword)
    expect(JSON.parse(ours!.text).code).toEqual(code)
  })

  it('returns null for a PNG without a code or with a foreign payload under our keyword', async () => {
    const plain = await encodePng(face)
    expect(readPngCode(plain)).toBeNull()
    expect(readPngCode(addPngText(plain, pngCodeKeyword, '{"not":"ours"}'))).toBeNull()
    expect(readPngCode(addPngText(plain, pngCodeKeyword, 'not json'))).toBeNull()
  })

  it('refuses a non-finite code', async () => {
    await expect(encodePngWithCode(face, { code: [1, NaN] })).rejects.toThrow()
  })
})

describe('PNG text chunks', () => {
  it('stores UTF-8 text and finds only the requested keyword', async () => {
    const png = addPngText(addPngText(await encodePng(face), 'Title', 'Gesichter – β-VAE'), 'Other', 'x')
    expect(readPngText(png, 'Title')).toBe('Gesichter – β-VAE')
    expect(readPngText(png, 'Other')).toBe('x')
    expect(readPngText(png, 'Missing')).toBeNull()
  })

  it('detects corruption and non-PNG input, and refuses invalid keywords', async () => {
    const png = await encodePngWithCode(face, { code })
    const damaged = png.slice()
    damaged[40] ^= 0xff
    expect(() => readPngCode(damaged)).toThrow(/CRC mismatch/)
    const plain = await encodePng(face)
    expect(() => readPngCode(plain.subarray(0, plain.length - 20))).toThrow(/truncated/)
    expect(() => readPngCode(plain.subarray(0, plain.length - 12))).toThrow(/no IEND/)
    expect(() => readPngCode(Buffer.from('GIF89a not a png'))).toThrow(/not a PNG/)
    expect(() => addPngText(png, '', 'x')).toThrow(/keyword/)
    expect(() => addPngText(png, 'x'.repeat(80), 'x')).toThrow(/keyword/)
  })
})
