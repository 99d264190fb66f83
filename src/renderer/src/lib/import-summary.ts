/**
 * The one line that sums up an import, and what the engine says about how it went, for the
 * Dataset view. Counts go in the line; each of the engine's sentences (a folder of crops imported
 * whole, grey images kept grey, small portraits kept whole, a damaged face cache set aside) is
 * shown once, beneath it.
 */
import type { ImportResult } from '../../../shared/contract'
import { countOf } from './format'

export interface ImportSummary {
  /** What the import added: "339 faces", "400 images" (shown bold). */
  imported: string
  /** Where from, for face imports: "found in 400 photos"; "" otherwise. */
  source: string
  /** The other counts worth saying: "54 without a face", "2 files skipped". */
  counts: string[]
  /** The engine's sentences, each once, each ending in a full stop. */
  notices: string[]
}

export function importSummary(result: ImportResult): ImportSummary {
  const f = result.faces
  const keptWhole = f?.keptWhole ?? 0
  const counts: string[] = []
  if (f) {
    counts.push(`${f.photosWithoutFace} without a face`)
    if (f.facesSkipped) counts.push(`${f.facesSkipped} left out (too small or not the largest)`)
  }
  if (result.duplicates) counts.push(`${countOf(result.duplicates, 'copy', 'copies')} of other files left out`)
  if (result.skipped.length) counts.push(`${countOf(result.skipped.length, 'file')} skipped`)
  return {
    // Portraits kept whole are images, not faces found: with them, the line counts images.
    imported: countOf(result.imported, f && !keptWhole ? 'face' : 'image'),
    source: !f
      ? ''
      : keptWhole
        ? `from ${countOf(f.photos, 'photo')}: ${countOf(f.faces, 'face')} found and aligned, ${keptWhole} kept whole`
        : `found in ${countOf(f.photos, 'photo')}`,
    counts,
    notices: [...new Set((result.notices ?? []).map(sentence))]
  }
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
