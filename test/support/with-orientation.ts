/** TIFF value types an orientation tag may be written with; SHORT is the canonical one. */
export const SHORT = 3
export const LONG = 4

/**
 * Splices an EXIF block holding only an orientation tag (of the given TIFF type) in after a
 * JPEG's SOI marker. sharp's own `withMetadata({ orientation })` also embeds an ICC profile,
 * which sends the file down another path; this gives a plain JPEG that differs from its upright
 * twin only in orientation.
 */
export function withOrientation(jpeg: Uint8Array, orientation: number, byteOrder: 'II' | 'MM' = 'II', valueType = SHORT): Buffer {
  const little = byteOrder === 'II'
  const tiff = Buffer.alloc(26)
  const u16 = (value: number, at: number): number => (little ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at))
  const u32 = (value: number, at: number): number => (little ? tiff.writeUInt32LE(value, at) : tiff.writeUInt32BE(value, at))
  tiff.write(byteOrder, 0, 'latin1')
  u16(42, 2) // TIFF magic
  u32(8, 4) // first directory right after the header
  u16(1, 8) // one entry:
  u16(0x0112, 10) // Orientation
  u16(valueType, 12)
  u32(1, 14) // one value
  if (valueType === LONG) u32(orientation, 18)
  else u16(orientation, 18)
  u32(0, 22) // no further directory
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const marker = Buffer.from([0xff, 0xe1, 0, 0])
  marker.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([jpeg.subarray(0, 2), marker, body, jpeg.subarray(2)])
}
