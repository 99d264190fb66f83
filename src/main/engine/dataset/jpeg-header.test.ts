import sharp, { type Sharp } from 'sharp'
import { describe, expect, it } from 'vitest'
import { readJpegHeader } from './jpeg-header'
import { withOrientation } from './testing/with-orientation'

const picture = (): Sharp => sharp({ create: { width: 40, height: 24, channels: 3, background: { r: 200, g: 60, b: 10 } } })

describe('readJpegHeader', () => {
  it('reads size, components, precision and coding process from the frame header', async () => {
    expect(readJpegHeader(await picture().jpeg().toBuffer())).toEqual({
      width: 40,
      height: 24,
      components: 3,
      precision: 8,
      frameMarker: 0xc0,
      orientation: 1,
      iccProfile: false,
      adobeMarker: false,
      complete: true
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
    expect(readJpegHeader(withOrientation(plain, 9))?.orientation).toBe(1)
  })

  it('flags what changes the colours: an ICC profile, an Adobe (CMYK) marker', async () => {
    expect(readJpegHeader(await picture().withIccProfile('p3').jpeg().toBuffer())).toMatchObject({ iccProfile: true, adobeMarker: false })
    expect(readJpegHeader(await picture().toColourspace('cmyk').jpeg().toBuffer())).toMatchObject({ components: 4, adobeMarker: true })
  })

  it('tells a file cut short or followed by other bytes from a complete one', async () => {
    const jpeg = await picture().jpeg().toBuffer()
    expect(readJpegHeader(jpeg.subarray(0, jpeg.length - 10))).toMatchObject({ complete: false })
    expect(readJpegHeader(Buffer.concat([jpeg, Buffer.from('trailing')]))).toMatchObject({ complete: false })
  })

  it('returns null for other formats and for headers damaged before the first scan', async () => {
    const jpeg = await picture().jpeg().toBuffer()
    expect(readJpegHeader(await picture().png().toBuffer())).toBeNull()
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull()
    expect(readJpegHeader(jpeg.subarray(0, 30))).toBeNull()
    const overlong = Buffer.from(jpeg)
    overlong.writeUInt16BE(0xfff0, 4) // the first segment's length runs past the end
    expect(readJpegHeader(overlong)).toBeNull()
    const noFrame = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9])
    expect(readJpegHeader(noFrame)).toBeNull()
  })
})
