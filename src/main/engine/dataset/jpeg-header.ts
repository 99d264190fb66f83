/**
 * The facts about a JPEG file that decide which decoder may take it, read from its marker
 * segments up to the first scan without decoding a pixel. Only the container is parsed here;
 * decoding is left to the libraries.
 */

export interface JpegHeader {
  width: number
  height: number
  /** 1: grey, 3: YCbCr (or RGB when an Adobe marker says so), 4: CMYK or YCCK. */
  components: number
  /** Bits per sample: 8 for nearly every photo, 12 for some medical and camera files. */
  precision: number
  /** SOF marker: 0xC0 baseline, 0xC1 extended, 0xC2 progressive; others lossless or arithmetic. */
  frameMarker: number
  /** An embedded ICC profile (APP2 "ICC_PROFILE"): colours need converting to sRGB. */
  iccProfile: boolean
  /** EXIF orientation, 1 (upright) to 8; 5–8 turn the picture a quarter. 1 without EXIF. */
  orientation: number
  /** An APP14 "Adobe" segment: its transform flag changes what the components mean. */
  adobeMarker: boolean
  /** The file ends with the end-of-image marker, so it was not cut short. */
  complete: boolean
}

const SOI = 0xd8
const EOI = 0xd9
const SOS = 0xda
const APP1 = 0xe1
const APP2 = 0xe2
const APP14 = 0xee
/** C4 (Huffman tables), C8 (reserved) and CC (arithmetic conditioning) share the SOF range. */
const notFrameMarkers = new Set([0xc4, 0xc8, 0xcc])

/** Null when the bytes are not a JPEG or its header is damaged before the first scan. */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) return null
  let frame: Pick<JpegHeader, 'width' | 'height' | 'components' | 'precision' | 'frameMarker'> | undefined
  let iccProfile = false
  let adobeMarker = false
  let orientation = 1
  let at = 2
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null
    const marker = bytes[at + 1]
    if (marker === 0xff) {
      at += 1 // fill byte before a marker
      continue
    }
    if (marker === EOI) return null
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2 // restart markers and TEM carry no length
      continue
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3]
    const body = at + 4
    const end = at + 2 + length
    if (length < 2 || end > bytes.length) return null
    if (marker === SOS) {
      if (!frame) return null
      const complete = bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === EOI
      return { ...frame, orientation, iccProfile, adobeMarker, complete }
    }
    if (marker === APP1 && startsWith(bytes, body, end, 'Exif\0\0')) orientation = exifOrientation(bytes.subarray(body + 6, end)) ?? orientation
    if (marker === APP2 && startsWith(bytes, body, end, 'ICC_PROFILE\0')) iccProfile = true
    if (marker === APP14 && startsWith(bytes, body, end, 'Adobe')) adobeMarker = true
    if (marker >= 0xc0 && marker <= 0xcf && !notFrameMarkers.has(marker)) {
      if (length < 8) return null
      frame = {
        precision: bytes[body],
        height: (bytes[body + 1] << 8) | bytes[body + 2],
        width: (bytes[body + 3] << 8) | bytes[body + 4],
        components: bytes[body + 5],
        frameMarker: marker
      }
    }
    at = end
  }
  return null
}

const ORIENTATION_TAG = 0x0112
const SHORT = 3

/** Tag 0x0112 of a TIFF block's first directory, or undefined when absent or out of range. */
function exifOrientation(tiff: Uint8Array): number | undefined {
  if (tiff.length < 8) return undefined
  const little = tiff[0] === 0x49 && tiff[1] === 0x49 // "II"; "MM" is big-endian
  const u16 = (at: number): number => (little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1])
  const u32 = (at: number): number => (little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2))
  const directory = u32(4)
  if (directory + 2 > tiff.length) return undefined
  const entries = u16(directory)
  for (let i = 0; i < entries; i++) {
    const entry = directory + 2 + i * 12
    if (entry + 12 > tiff.length) return undefined
    if (u16(entry) !== ORIENTATION_TAG) continue
    const value = u16(entry + 8)
    return u16(entry + 2) === SHORT && value >= 1 && value <= 8 ? value : undefined
  }
  return undefined
}

function startsWith(bytes: Uint8Array, from: number, to: number, text: string): boolean {
  if (to - from < text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[from + i] !== text.charCodeAt(i)) return false
  return true
}
