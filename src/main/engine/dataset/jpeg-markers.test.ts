import sharp, { type Sharp } from 'sharp'
import { describe, expect, it } from 'vitest'
import { readJpegHeader, scansAreWellFormed } from './jpeg-markers'
import { LONG, withOrientation } from '../../../../test/support/with-orientation'

const picture = (): Sharp => sharp({ create: { width: 40, height: 24, channels: 3, background: { r: 200, g: 60, b: 10 } } })

/** Offset of the first byte after the first SOS segment's header: where entropy-coded data starts. */
function scanData(jpeg: Buffer): number {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]))
  return sos + 2 + jpeg.readUInt16BE(sos + 2)
}

describe('readJpegHeader', () => {
  it('reads size, components, precision and coding process from the frame header', async () => {
    const jpeg = await picture().jpeg().toBuffer()
    expect(readJpegHeader(jpeg)).toEqual({
      width: 40,
      height: 24,
      components: 3,
      precision: 8,
      frameMarker: 0xc0,
      orientation: 1,
      iccProfile: false,
      adobeMarker: false
    })
    expect(readJpegHeader(await picture().jpeg({ progressive: true }).toBuffer())).toMatchObject({ frameMarker: 0xc2 })
    expect(readJpegHeader(await picture().toColourspace('b-w').jpeg().toBuffer())).toMatchObject({ components: 1 })
  })

  it('finds the EXIF orientation in either byte order, as sharp reads it', async () => {
    const plain = await picture().jpeg().toBuffer()
    for (const order of ['II', 'MM'] as const) {
      for (let orientation = 1; orientation <= 8; orientation++) {
        const jpeg = withOrientation(plain, orientation, order)
        expect(readJpegHeader(jpeg)?.orientation).toBe(orientation)
        expect((await sharp(jpeg).metadata()).orientation).toBe(orientation)
      }
    }
    const fromSharp = await picture().withMetadata({ orientation: 6 }).jpeg().toBuffer()
    expect(readJpegHeader(fromSharp)).toMatchObject({ orientation: 6, iccProfile: true })
  })

  it('takes the first EXIF block, as libexif does, and gives up on blocks not written the usual way', async () => {
    const plain = await picture().jpeg().toBuffer()
    const twoBlocks = withOrientation(withOrientation(plain, 3), 6) // the 6 comes first
    expect(readJpegHeader(twoBlocks)?.orientation).toBe(6)
    expect((await sharp(twoBlocks).metadata()).orientation).toBe(6)
    expect(readJpegHeader(withOrientation(plain, 6, 'II', LONG))?.orientation).toBeNull()
    expect(readJpegHeader(withOrientation(plain, 9))?.orientation).toBeNull()
    const badOrder = withOrientation(plain, 6)
    badOrder.write('XX', 12, 'latin1') // SOI, APP1 marker and length, "Exif\0\0", then the TIFF header
    expect(readJpegHeader(badOrder)?.orientation).toBeNull()
    const badMagic = withOrientation(plain, 6)
    badMagic.writeUInt16LE(43, 14)
    expect(readJpegHeader(badMagic)?.orientation).toBeNull()
  })

  it('flags what changes the colours: an ICC profile, an Adobe (CMYK) marker', async () => {
    expect(readJpegHeader(await picture().withIccProfile('p3').jpeg().toBuffer())).toMatchObject({ iccProfile: true, adobeMarker: false })
    expect(readJpegHeader(await picture().toColourspace('cmyk').jpeg().toBuffer())).toMatchObject({ components: 4, adobeMarker: true })
  })

  it('returns null for other formats, headers damaged before the first scan, and two frames', async () => {
    const jpeg = await picture().jpeg().toBuffer()
    expect(readJpegHeader(await picture().png().toBuffer())).toBeNull()
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull()
    expect(readJpegHeader(jpeg.subarray(0, 30))).toBeNull()
    const overlong = Buffer.from(jpeg)
    overlong.writeUInt16BE(0xfff0, 4) // the first segment's length runs past the end
    expect(readJpegHeader(overlong)).toBeNull()
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9]))).toBeNull()
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]))
    const frame = jpeg.subarray(sof, sof + 2 + jpeg.readUInt16BE(sof + 2))
    const lossless = Buffer.from(frame)
    lossless[1] = 0xc3
    expect(readJpegHeader(Buffer.concat([jpeg.subarray(0, sof), lossless, jpeg.subarray(sof)]))).toBeNull()
  })
})

describe('scansAreWellFormed', () => {
  it('accepts the files encoders write: baseline, progressive, optimised progressive scans', async () => {
    for (const jpeg of [
      await picture().jpeg().toBuffer(),
      await picture().jpeg({ progressive: true }).toBuffer(),
      await sharp({ create: { width: 256, height: 256, channels: 3, background: '#a53' } })
        .jpeg({ progressive: true, optimiseScans: true })
        .toBuffer()
    ]) {
      expect(scansAreWellFormed(jpeg)).toBe(true)
    }
  })

  it('refuses what libjpeg calls corrupt: a stray marker in scan data, restarts out of order, anything after EOI, a cut', async () => {
    const jpeg = await picture().jpeg({ quality: 100 }).toBuffer()
    const data = scanData(jpeg)
    const stray = Buffer.from(jpeg)
    stray[data + 3] = 0xff
    stray[data + 4] = 0xc0
    expect(scansAreWellFormed(stray)).toBe(false)
    const restart = Buffer.from(jpeg)
    restart[data + 3] = 0xff
    restart[data + 4] = 0xd3 // RST3 where RST0 is due
    expect(scansAreWellFormed(restart)).toBe(false)
    restart[data + 4] = 0xd0 // in order, the layout is sound (whether the data then decodes is the decoder's to say)
    expect(scansAreWellFormed(restart)).toBe(true)
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]))
    const undefinedTable = Buffer.from(jpeg)
    undefinedTable[sos + 6] = 0x33 // the first component's DC and AC tables: 3, never defined
    expect(scansAreWellFormed(undefinedTable)).toBe(false)
    const notSequential = Buffer.from(jpeg)
    notSequential[sos + 2 + jpeg.readUInt16BE(sos + 2) - 1] = 0x01 // successive approximation in a baseline scan
    expect(scansAreWellFormed(notSequential)).toBe(false)
    expect(scansAreWellFormed(Buffer.concat([jpeg, Buffer.from('trailing')]))).toBe(false)
    expect(scansAreWellFormed(jpeg.subarray(0, jpeg.length - 10))).toBe(false)
    expect(scansAreWellFormed(jpeg.subarray(0, jpeg.length - 1))).toBe(false)
  })
})
