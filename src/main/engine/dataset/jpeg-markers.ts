/**
 * A JPEG file's marker structure, read without decoding a pixel: the header facts that decide
 * which decoder may take the file, and whether the rest of the file is laid out as a sound file
 * is. Only the container is parsed here; decoding is left to the libraries.
 */
import { readExifOrientation } from './exif-orientation'

export interface JpegHeader {
  width: number
  height: number
  /** 1: grey, 3: YCbCr (or RGB when an Adobe marker says so), 4: CMYK or YCCK. */
  components: number
  /** Bits per sample: 8 for nearly every photo, 12 for some medical and camera files. */
  precision: number
  /** SOF marker: 0xC0 baseline, 0xC1 extended, 0xC2 progressive; others lossless or arithmetic. */
  frameMarker: number
  /** EXIF orientation of the first EXIF block, 1–8 (1 without one); null when not readable for certain. */
  orientation: number | null
  /** An embedded ICC profile (APP2 "ICC_PROFILE"): colours need converting to sRGB. */
  iccProfile: boolean
  /** An APP14 "Adobe" segment: its transform flag changes what the components mean. */
  adobeMarker: boolean
}

const SOI = 0xd8
const EOI = 0xd9
const SOS = 0xda
const DHT = 0xc4
const DQT = 0xdb
const DRI = 0xdd
const COM = 0xfe
const APP1 = 0xe1
const APP2 = 0xe2
const APP14 = 0xee
/** C4 (Huffman tables), C8 (reserved) and CC (arithmetic conditioning) share the SOF range. */
const notFrameMarkers = new Set([DHT, 0xc8, 0xcc])

const isFrameMarker = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && !notFrameMarkers.has(marker)
const isAppMarker = (marker: number): boolean => marker >= 0xe0 && marker <= 0xef

/**
 * Null when the bytes are not a JPEG, or its header is damaged before the first scan, or holds
 * two frames (libjpeg refuses those; a lenient decoder would pick one).
 */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) return null
  let frame: Pick<JpegHeader, 'width' | 'height' | 'components' | 'precision' | 'frameMarker'> | undefined
  /** Undefined until the first EXIF block is met; null when that block cannot be read for certain. */
  let orientation: number | null | undefined
  let iccProfile = false
  let adobeMarker = false
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
    const end = segmentEnd(bytes, at)
    if (end === null) return null
    const body = at + 4
    if (marker === SOS) {
      return frame ? { ...frame, orientation: orientation === undefined ? 1 : orientation, iccProfile, adobeMarker } : null
    }
    // Like libexif, the first EXIF block counts; later ones are ignored.
    if (marker === APP1 && orientation === undefined && startsWith(bytes, body, end, 'Exif\0\0')) {
      orientation = readExifOrientation(bytes.subarray(body + 6, end))
    }
    if (marker === APP2 && startsWith(bytes, body, end, 'ICC_PROFILE\0')) iccProfile = true
    if (marker === APP14 && startsWith(bytes, body, end, 'Adobe')) adobeMarker = true
    if (isFrameMarker(marker)) {
      if (frame || end - body < 6) return null
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

/**
 * True when the file is laid out as a sound one is: every scan names Huffman tables defined
 * before it, its entropy-coded bytes have every 0xFF stuffed (FF 00), restart markers follow
 * their D0…D7 cycle, only table, comment, application and scan segments sit between scans, and
 * EOI is the last two bytes. These are the faults libjpeg reports as corrupt data; a lenient
 * decoder would decode through them. Bit errors that keep this layout are not caught.
 */
export function scansAreWellFormed(bytes: Uint8Array): boolean {
  /** Defined Huffman tables, bit (class × 4 + id): DC tables 0–3, AC tables 4–7. */
  let tables = 0
  let progressive = false
  let scanned = false
  let at = 2
  for (;;) {
    if (at + 2 > bytes.length || bytes[at] !== 0xff) return false
    const marker = bytes[at + 1]
    if (marker === EOI) return scanned && at + 2 === bytes.length
    const betweenScans = marker === SOS || marker === DHT || marker === DQT || marker === DRI || marker === COM || isAppMarker(marker)
    if (scanned && !betweenScans) return false
    const end = segmentEnd(bytes, at)
    if (end === null) return false
    const body = at + 4
    if (isFrameMarker(marker)) progressive = marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce
    if (marker === DHT) {
      const defined = huffmanTablesIn(bytes, body, end)
      if (defined === null) return false
      tables |= defined
    }
    at = end
    if (marker !== SOS) continue
    if (!scanHeaderIsSound(bytes, body, end, tables, progressive)) return false
    scanned = true
    let nextRestart = 0
    for (;;) {
      const ff = bytes.indexOf(0xff, at)
      if (ff < 0) return false
      let next = ff + 1
      while (next < bytes.length && bytes[next] === 0xff) next++ // fill bytes before a marker
      if (next >= bytes.length) return false
      const code = bytes[next]
      if (code === 0x00 && next === ff + 1) {
        at = next + 1 // a stuffed data byte
      } else if (code >= 0xd0 && code <= 0xd7) {
        if (code - 0xd0 !== nextRestart) return false
        nextRestart = (nextRestart + 1) & 7
        at = next + 1
      } else {
        at = next - 1 // the end of this scan: its marker starts the next segment
        break
      }
    }
  }
}

/** The tables a DHT segment defines, as bits; null when its counts overrun the segment. */
function huffmanTablesIn(bytes: Uint8Array, from: number, to: number): number | null {
  let defined = 0
  let at = from
  while (at < to) {
    const tableClass = bytes[at] >> 4
    const id = bytes[at] & 15
    if (tableClass > 1 || id > 3 || at + 17 > to) return null
    let symbols = 0
    for (let i = 1; i <= 16; i++) symbols += bytes[at + i]
    at += 17 + symbols
    defined |= 1 << (tableClass * 4 + id)
  }
  return at === to ? defined : null
}

/**
 * Whether an SOS header is one libjpeg accepts: spectral selection and successive approximation
 * in range for the coding process, and the Huffman tables it names defined: a DC table for
 * scans that start DC coefficients, an AC table for scans that code any AC coefficient.
 */
function scanHeaderIsSound(bytes: Uint8Array, from: number, to: number, tables: number, progressive: boolean): boolean {
  const components = bytes[from]
  if (components < 1 || components > 4 || from + 1 + components * 2 + 3 !== to) return false
  const params = from + 1 + components * 2
  const [start, end, high, low] = [bytes[params], bytes[params + 1], bytes[params + 2] >> 4, bytes[params + 2] & 15]
  if (progressive) {
    if (start === 0 ? end !== 0 : end < start || end > 63 || components !== 1) return false
    // libjpeg's rule: a refinement scan lowers the bit position by exactly one.
    if (low > 13 || (high !== 0 && low !== high - 1)) return false
  } else if (start !== 0 || end !== 63 || high !== 0 || low !== 0) {
    return false
  }
  const needsDc = start === 0 && high === 0
  const needsAc = end > 0
  for (let c = 0; c < components; c++) {
    const selectors = bytes[from + 2 + c * 2]
    if (needsDc && !(tables & (1 << (selectors >> 4)))) return false
    if (needsAc && !(tables & (1 << (4 + (selectors & 15))))) return false
  }
  return true
}

/** Where the segment whose marker starts at `at` ends, from its length field; null when impossible. */
function segmentEnd(bytes: Uint8Array, at: number): number | null {
  if (at + 4 > bytes.length) return null
  const length = (bytes[at + 2] << 8) | bytes[at + 3]
  const end = at + 2 + length
  return length < 2 || end > bytes.length ? null : end
}

function startsWith(bytes: Uint8Array, from: number, to: number, text: string): boolean {
  if (to - from < text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[from + i] !== text.charCodeAt(i)) return false
  return true
}
