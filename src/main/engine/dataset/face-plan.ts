/**
 * How a folder is imported when face finding is on, decided before the import proper (see
 * crop-folder.ts for why): every face found and aligned; or, for a folder of crops the detector
 * cannot improve, every file whole; and whether small portraits without a face found are kept
 * whole rather than left out.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { PhotoFaces } from '../faces'
import { cropSampleSize, keepsUndetectedPortraits, mayBeCropFolder, sampleIndices, summariseShapes, wholeFilesVerdict } from './crop-folder'
import type { ImportFaceFinder } from './face-import'
import { readImageShape } from './image-shape'
import type { WalkEntry } from './walk-folder'

export interface FacePlan {
  /** Set when the folder is imported whole: the sentence that says why. */
  wholeFiles?: string
  /** Small portraits where no face is found become whole-file rows instead of being left out. */
  keepPortraits: boolean
}

export async function planFaceImport(entries: WalkEntry[], faces: ImportFaceFinder, signal?: AbortSignal): Promise<FacePlan> {
  const files = entries.filter((e): e is Extract<WalkEntry, { path: Buffer }> => 'path' in e)
  const read = []
  for (const entry of files) read.push(await readImageShape(entry.path))
  const shapes = summariseShapes(read)
  const keepPortraits = keepsUndetectedPortraits(shapes)
  if (!mayBeCropFolder(shapes, files.length)) return { keepPortraits }
  const sample = await Promise.all(sampleIndices(files.length, cropSampleSize).map((i) => findIn(files[i].path, faces, signal)))
  const verdict = wholeFilesVerdict(sample.filter((p): p is PhotoFaces => p !== null))
  if (!verdict) return { keepPortraits }
  const { width, height } = shapes.common!
  return { keepPortraits, wholeFiles: `These look like face crops already (all ${width}×${height}, ${verdict}): imported as they are` }
}

/** One sampled photo's faces (cached by content, so the import proper does not find them again). */
async function findIn(file: Buffer, faces: ImportFaceFinder, signal?: AbortSignal): Promise<PhotoFaces | null> {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return null
  }
  return faces.find(bytes, createHash('sha256').update(bytes).digest('hex'), signal)
}
