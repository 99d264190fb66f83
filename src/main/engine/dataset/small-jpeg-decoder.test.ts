import sharp, { type Sharp } from 'sharp'
import { describe, expect, it } from 'vitest'
import { defaultImportOptions as importDefaults, type DatasetOptions } from '../../../shared/config'
import { sampleDemoFactors } from '../demo/factors'
import { renderDemoFace } from '../demo/render-face'
import { Rng } from '../random/rng'
import { decodeImage } from './decode-image'
import { decodeSmallJpeg, SMALL_JPEG_MAX_PIXELS } from './small-jpeg-decoder'
import { LONG, withOrientation } from '../../../../test/support/with-orientation'

/** What the decoders are given: the import's options with the colour settled. */
const defaultImportOptions: DatasetOptions = { ...importDefaults, channels: 3 }

const side = 250
const face = renderDemoFace(sampleDemoFactors(new Rng(3)), side)
const black = { r: 0, g: 0, b: 0, alpha: 1 }

function photo(width = side, height = side): Sharp {
  return sharp(face, { raw: { width: side, height: side, channels: 3 } }).resize(width, height, { fit: 'fill' })
}

/**
 * sharp's import pipeline, resampling exactly. Its default shrink-on-load decodes at 1/2–1/8 of
 * the size, rounded up, and stretches the framing by up to ~1% (a few levels at 32 px); the lane
 * follows the exact geometry instead.
 */
async function sharpReference(jpeg: Buffer, { size, fit, channels }: DatasetOptions): Promise<Buffer> {
  return sharp(jpeg)
    .autoOrient()
    .resize(size, size, { fit: fit === 'crop' ? 'cover' : 'contain', background: black, fastShrinkOnLoad: false })
    .flatten({ background: black })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .raw()
    .toBuffer()
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

/** The JPEG without its first segment of the given marker (before the first scan). */
function withoutSegment(jpeg: Buffer, marker: number): Buffer {
  for (let at = 2; jpeg[at + 1] !== 0xda; at += 2 + jpeg.readUInt16BE(at + 2)) {
    if (jpeg[at + 1] === marker) return Buffer.concat([jpeg.subarray(0, at), jpeg.subarray(at + 2 + jpeg.readUInt16BE(at + 2))])
  }
  throw new Error(`no segment 0x${marker.toString(16)}`)
}

/** The JPEG with a frame marker written over its first bytes of scan data, as a flipped bit might. */
function withStrayMarker(jpeg: Buffer): Buffer {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]))
  const data = sos + 2 + jpeg.readUInt16BE(sos + 2)
  const damaged = Buffer.from(jpeg)
  damaged[data + 10] = 0xff
  damaged[data + 11] = 0xc0
  return damaged
}

/** An APP14 "Adobe" segment after SOI; transform 0 says the components are RGB, not YCbCr. */
function withAdobeMarker(jpeg: Buffer, transform: number): Buffer {
  const segment = Buffer.from([0xff, 0xee, 0, 14, ...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, transform])
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)])
}

describe('decodeSmallJpeg', () => {
  it('renders small JPEGs as sharp does: every shape and orientation, crop and pad, colour and grey, 32–128 px', async () => {
    const shapes = [
      [250, 250],
      [250, 150],
      [150, 250],
      [177, 219]
    ] as const
    for (const [width, height] of shapes) {
      const upright = await photo(width, height).jpeg({ quality: 90 }).toBuffer()
      for (let orientation = 1; orientation <= 8; orientation++) {
        const jpeg = withOrientation(upright, orientation, orientation % 2 ? 'II' : 'MM')
        for (const fit of ['crop', 'pad'] as const) {
          for (const channels of [3, 1] as const) {
            for (const size of [32, 64, 128] as const) {
              const options = { ...defaultImportOptions, size, fit, channels }
              const ours = await decodeSmallJpeg(jpeg, options)
              const label = `${width}×${height} orientation ${orientation} ${fit} ${channels}ch ${size}px`
              expect(ours, label).not.toBeNull()
              // Both resample with Lanczos3; they differ in rounding and, for a non-square
              // source at 32 px, by a fraction of a pixel in scale. A pixel off is ~5 levels.
              expect(meanAbsDiff(ours!, await sharpReference(jpeg, options)), label).toBeLessThan(size === 32 ? 2 : 1)
            }
          }
        }
      }
    }
  })

  it('renders grey, progressive and 4:4:4 JPEGs as sharp does', async () => {
    const files = {
      grey: await photo().toColourspace('b-w').jpeg().toBuffer(),
      progressive: await photo().jpeg({ progressive: true }).toBuffer(),
      '4:4:4': await photo().jpeg({ chromaSubsampling: '4:4:4' }).toBuffer()
    }
    for (const [label, jpeg] of Object.entries(files)) {
      for (const channels of [1, 3] as const) {
        const options = { ...defaultImportOptions, channels }
        const ours = await decodeSmallJpeg(jpeg, options)
        expect(ours, label).not.toBeNull()
        expect(meanAbsDiff(ours!, await sharpReference(jpeg, options)), `${label} ${channels}ch`).toBeLessThan(1)
      }
    }
  })

  it('declines what sharp should render: colour profiles, CMYK, damaged or large files, other formats', async () => {
    const jpeg = await photo().jpeg().toBuffer()
    const cmyk = await photo().toColourspace('cmyk').jpeg().toBuffer()
    const lanePixels = Math.ceil(Math.sqrt(SMALL_JPEG_MAX_PIXELS)) + 1
    const declined = {
      'ICC profile': await photo().withIccProfile('p3').jpeg().toBuffer(),
      CMYK: cmyk,
      'CMYK without an Adobe marker': withoutSegment(cmyk, 0xee),
      'Adobe marker (RGB-coded)': withAdobeMarker(jpeg, 0),
      'cut short': jpeg.subarray(0, jpeg.length - 100),
      'trailing bytes': Buffer.concat([jpeg, Buffer.alloc(64, 7)]),
      'too large for this lane': await photo(lanePixels, lanePixels).jpeg().toBuffer(),
      'a sliver (gigabytes once scaled for a crop)': await photo(1, 60000).jpeg().toBuffer(),
      'wider than 4:1 (for a crop)': await photo(500, 100).jpeg().toBuffer(),
      'smaller than the square (an enlargement)': await photo(63, 80).jpeg().toBuffer(),
      'a stray marker in the scan data': withStrayMarker(jpeg),
      'orientation written as LONG': withOrientation(jpeg, 6, 'II', LONG),
      PNG: await photo().png().toBuffer()
    }
    for (const [label, bytes] of Object.entries(declined)) {
      expect(await decodeSmallJpeg(bytes, defaultImportOptions), label).toBeNull()
    }
    // The lane's limits are inclusive, and a letterbox of a wide picture is small whatever its shape.
    expect(await decodeSmallJpeg(await photo(512, 512).jpeg().toBuffer(), defaultImportOptions)).not.toBeNull()
    expect(await decodeSmallJpeg(await photo(500, 100).jpeg().toBuffer(), { ...defaultImportOptions, fit: 'pad' })).not.toBeNull()
    // Over the user's pixel limit: sharp refuses it and names the size.
    const limited = { ...defaultImportOptions, maxPixels: side * side - 1 }
    expect(await decodeSmallJpeg(jpeg, limited)).toBeNull()
    expect(await decodeImage(jpeg, limited)).toEqual({ reason: `too large: 250×250 pixels exceeds the limit of ${side * side - 1}` })
  })

  it('skips the damaged files sharp skips (fuzzed), but for bad Huffman codes only a full decode finds', async () => {
    const small = (): Sharp => photo(64, 48)
    const originals = [
      await small().jpeg().toBuffer(),
      await small().jpeg({ progressive: true }).toBuffer(),
      await small().toColourspace('b-w').jpeg().toBuffer()
    ]
    const rng = new Rng(11)
    const options = { ...defaultImportOptions, size: 32 as const }
    let taken = 0
    const refusedBySharp: string[] = []
    for (let i = 0; i < 600; i++) {
      const damaged = Buffer.from(originals[i % originals.length])
      for (let k = 1 + rng.int(4); k > 0; k--) damaged[rng.int(damaged.length)] = rng.int(4) === 0 ? 0xff : rng.int(256)
      if (!(await decodeSmallJpeg(damaged, options))) continue
      taken++
      const bySharp = await sharp(damaged, { failOn: 'error' })
        .resize(32, 32)
        .raw()
        .toBuffer()
        .then(
          () => 'decoded',
          (err: Error) => err.message
        )
      if (bySharp !== 'decoded') refusedBySharp.push(`case ${i}: ${bySharp}`)
    }
    // The lane still takes damage that keeps the layout, as sharp does. Over 6,000 cases it took
    // 2,477 and sharp refused 2 of those (bad Huffman codes); without the layout checks, ~1 in 7.
    expect(taken).toBeGreaterThan(60)
    expect(refusedBySharp.length, refusedBySharp.join('\n')).toBeLessThanOrEqual(taken / 200)
  })

  it('is the lane decodeImage takes for such files, and sharp takes the rest', async () => {
    const jpeg = await photo().jpeg().toBuffer()
    const small = await decodeSmallJpeg(jpeg, defaultImportOptions)
    expect(await decodeImage(jpeg, defaultImportOptions)).toEqual({ pixels: small })
    const withProfile = await photo().withIccProfile('srgb').jpeg().toBuffer()
    const bySharp = await sharp(withProfile).resize(64, 64, { fit: 'cover' }).toColourspace('srgb').raw().toBuffer()
    const decoded = await decodeImage(withProfile, defaultImportOptions)
    expect('pixels' in decoded && Buffer.from(decoded.pixels).equals(bySharp)).toBe(true)
  })
})
