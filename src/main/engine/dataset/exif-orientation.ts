/**
 * The orientation tag of an EXIF block (a TIFF structure), read only in its canonical form. A
 * block written some other way (another byte order mark, another value type, a bad directory
 * offset) gets null: libexif, which sharp uses, reads some of those differently, and a picture
 * turned the wrong way is worse than a slower decode, so the caller leaves such files to sharp.
 */

const ORIENTATION_TAG = 0x0112
const SHORT = 3
const TIFF_MAGIC = 42

/** 1–8; 1 when the block has no orientation tag; null when it cannot be read for certain. */
export function readExifOrientation(tiff: Uint8Array): number | null {
  if (tiff.length < 8) return null
  const order = String.fromCharCode(tiff[0], tiff[1])
  if (order !== 'II' && order !== 'MM') return null
  const little = order === 'II'
  const u16 = (at: number): number => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1])
  const u32 = (at: number): number => (little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2))
  if (u16(2) !== TIFF_MAGIC) return null
  const directory = u32(4)
  if (directory < 8 || directory + 2 > tiff.length) return null
  const entries = u16(directory)
  if (directory + 2 + entries * 12 > tiff.length) return null
  for (let i = 0; i < entries; i++) {
    const entry = directory + 2 + i * 12
    if (u16(entry) !== ORIENTATION_TAG) continue
    const value = u16(entry + 8)
    const canonical = u16(entry + 2) === SHORT && u32(entry + 4) === 1 && value >= 1 && value <= 8
    return canonical ? value : null
  }
  return 1
}
