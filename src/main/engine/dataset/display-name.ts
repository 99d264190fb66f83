/**
 * A file name as the user reads it. Linux names are bytes, not text: a photo copied from an old
 * camera or a Latin-1 archive can be named "caf\xE9.jpg". Valid UTF-8 reads as itself; a byte
 * that is not part of valid UTF-8 is written `\xNN`, so such names stay distinct and findable
 * instead of all collapsing into the same "caf�.jpg".
 */
const strict = new TextDecoder('utf-8', { fatal: true })

/** Bytes in the UTF-8 sequence a lead byte starts, or 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

export function displayName(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes)
  } catch {
    // Some byte is not UTF-8: decode sequence by sequence below.
  }
  let text = ''
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes[i])
    if (length > 0 && i + length <= bytes.length) {
      try {
        text += strict.decode(bytes.subarray(i, i + length))
        i += length
        continue
      } catch {
        // Overlong, surrogate or cut-short sequence: its lead byte is escaped below.
      }
    }
    text += `\\x${bytes[i].toString(16).toUpperCase().padStart(2, '0')}`
    i++
  }
  return text
}
