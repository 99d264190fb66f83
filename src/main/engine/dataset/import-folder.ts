/**
 * Imports a folder of images into a dataset cache. Files are read, hashed and decoded a few at a
 * time (the decoders run on libuv's threads, so a handful in flight keeps both cores busy) while
 * results are written strictly in sorted-path order: the same folder always gives the same rows,
 * and memory holds only the images in flight, never the folder or the cache. With face finding
 * on, each photo goes to the face finder's worker threads instead, and each face it finds
 * becomes a row (see face-import.ts), unless the folder turns out to hold face crops already
 * (see face-plan.ts). Colour left to the import ('auto') becomes grey when every image is.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { DatasetOptions, ImportOptions } from '../../../shared/config'
import type { FaceFinder, PhotoFaces } from '../faces'
import type { ImportResult, SkippedFile } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import type { ImportProgress } from '../../../shared/events'
import { isSmallPortrait } from './crop-folder'
import { createDatasetWriter } from './dataset-writer'
import type { DecodeOutcome } from './decode-outcome'
import { decodeImage } from './decode-image'
import { errMessage } from '../image/error-message'
import { faceRecord, FaceTally, openFaceFinder, skippedFaceRecord, type ImportFaceFinder } from './face-import'
import { planFaceImport, type FacePlan } from './face-plan'
import { followSignal } from './follow-signal'
import { checkImportCancelled } from './import-cancelled'
import { walkFolder, type WalkEntry } from './walk-folder'

export interface ImportHooks {
  onProgress?: (progress: ImportProgress) => void
  signal?: AbortSignal
  /** Face finding: a finder to use (one is made for the import otherwise). */
  faceFinder?: FaceFinder
  /** Face finding: where detections are cached by file content between imports. */
  faceCacheFile?: string
}

/**
 * Files read and decoded at once. Decoding runs on libuv's four threads; more files in hand keep
 * them fed between one file's decode and the next read (small JPEGs on 2 cores: 4 → ~1,030
 * img/s, 8 → ~1,200, 16 → ~1,310). The byte budget keeps a folder of big photos from holding
 * 16 of them at once.
 */
const IN_FLIGHT = 16
const IN_FLIGHT_BYTES = 64 * 2 ** 20
const PROGRESS_INTERVAL_MS = 100

interface Processed {
  file: string
  hash?: string
  /**
   * null: the content is a copy of a file already in the dataset, so it was not decoded again.
   * `whole`: a small portrait with no face found, decoded whole.
   */
  outcome: DecodeOutcome | { photo: PhotoFaces; whole?: DecodeOutcome } | null
}

export async function importFolder(folder: string, outDir: string, options: ImportOptions, hooks: ImportHooks = {}): Promise<ImportResult> {
  const entries = await walkFolder(folder, { exclude: outDir })
  // The face pool listens once per photo in flight (or in a crop sample, see face-plan.ts).
  const { signal, release } = followSignal(hooks.signal, IN_FLIGHT + 16)
  try {
    checkImportCancelled(signal)
    return await importEntries(folder, entries, outDir, options, { ...hooks, signal })
  } finally {
    release()
  }
}

async function importEntries(
  folder: string,
  entries: WalkEntry[],
  outDir: string,
  options: ImportOptions,
  hooks: ImportHooks & { signal: AbortSignal }
): Promise<ImportResult> {
  const { onProgress, signal } = hooks
  // Colour left to the import is decoded as colour and narrowed to grey at the end if every image is.
  const settled: DatasetOptions = { ...options, channels: options.channels === 'auto' ? 3 : options.channels }
  const notices: string[] = []
  let faces: ImportFaceFinder | null = options.faces.find ? await openFaceFinder(settled, hooks.faceCacheFile, hooks.faceFinder) : null
  let keepPortraits = false
  if (faces) {
    if (faces.cacheProblem) notices.push(faces.cacheProblem)
    onProgress?.({ done: 0, total: entries.length, imported: 0, skipped: 0, faces: 0 })
    let plan: FacePlan
    try {
      plan = await planFaceImport(entries, faces, signal)
      checkImportCancelled(signal)
    } catch (err) {
      await faces.close()
      checkImportCancelled(signal) // a cancel during the sample is the import's cancel, in its words
      throw err
    }
    keepPortraits = plan.keepPortraits
    if (plan.wholeFiles) {
      notices.push(plan.wholeFiles)
      await faces.close()
      faces = null
      settled.faces = { ...settled.faces, find: false }
    }
  }
  const writer = await createDatasetWriter(outDir, { ...settled, source: path.resolve(folder), narrowGrey: options.channels === 'auto' })
  const tally = new FaceTally()
  /** Photos recorded so far, by content: a copy is recorded as a duplicate of the first. */
  const recorded = new Map<string, string>()
  const started = performance.now()
  const skipped: SkippedFile[] = []
  const decoding = new Map<string, Promise<DecodeOutcome>>()
  const window: Promise<Processed>[] = []
  /** Source bytes read but not yet decoded. */
  let heldBytes = 0
  let lastProgress = -Infinity

  /** At most one event per interval while files are processed; the first and the last always. */
  const progress = (done: number, current: string | undefined, force: boolean): void => {
    const now = performance.now()
    if (!onProgress || (!force && now - lastProgress < PROGRESS_INTERVAL_MS)) return
    if (done > 0) lastProgress = now
    // A pace is told once a few files (and a second) are done.
    const elapsed = (now - started) / 1000
    const etaSec = done >= 3 && elapsed >= 1 ? Math.round((elapsed / done) * (entries.length - done)) : undefined
    onProgress({
      done,
      total: entries.length,
      imported: writer.count,
      skipped: skipped.length,
      current,
      ...(faces ? { faces: tally.faces } : {}),
      ...(etaSec === undefined ? {} : { etaSec })
    })
  }

  /** Copies in flight together share one decode; copies seen earlier are not decoded at all. */
  const prepare = async (entry: WalkEntry): Promise<Processed> => {
    if ('reason' in entry) return { file: entry.file, outcome: { reason: entry.reason } }
    const read = readSource(entry.path)
    if ('reason' in read) return { file: entry.file, outcome: read }
    heldBytes += read.bytes.length
    try {
      const hash = createHash('sha256').update(read.bytes).digest('hex')
      if (recorded.has(hash)) return { file: entry.file, hash, outcome: null }
      if (faces) {
        const photo = await faces.find(read.bytes, hash, signal)
        const whole = keepPortraits && isUndetectedPortrait(photo) ? await decodeImage(read.bytes, settled) : undefined
        return { file: entry.file, hash, outcome: whole ? { photo, whole } : { photo } }
      }
      let pending = decoding.get(hash)
      if (!pending) {
        pending = decodeImage(read.bytes, settled)
        decoding.set(hash, pending)
        void pending.then(() => decoding.delete(hash))
      }
      return { file: entry.file, hash, outcome: await pending }
    } finally {
      heldBytes -= read.bytes.length
    }
  }

  /** Nothing is held while nothing is in flight, so a file bigger than the budget still gets its turn. */
  const roomForAnother = (): boolean => window.length < IN_FLIGHT && heldBytes < IN_FLIGHT_BYTES

  const record = async ({ file, hash, outcome }: Processed): Promise<void> => {
    if (outcome === null || (hash !== undefined && recorded.has(hash))) return recordCopy(file, hash!)
    if (hash !== undefined) recorded.set(hash, file)
    if ('photo' in outcome) {
      await recordFaces(file, hash!, outcome.photo, outcome.whole)
    } else if ('reason' in outcome) {
      skipped.push({ file, reason: outcome.reason })
      writer.skip(file, outcome.reason, hash)
    } else {
      await writer.add(outcome.pixels, { file, hash })
    }
  }

  /** A copy of a photo recorded earlier: a duplicate of its rows, or skipped as it was; never counted again. */
  const recordCopy = (file: string, hash: string): void => {
    if (writer.duplicateOf(hash) !== undefined) return writer.duplicate(file, hash)
    const reason = `duplicate of ${recorded.get(hash)}`
    skipped.push({ file, reason })
    writer.skip(file, reason, hash)
  }

  /** One row per face kept; faces the options left out and photos without one are listed with why. */
  const recordFaces = async (file: string, hash: string, photo: PhotoFaces, whole?: DecodeOutcome): Promise<void> => {
    tally.count(photo, file, whole !== undefined && 'pixels' in whole)
    if (whole && 'pixels' in whole) {
      await writer.add(whole.pixels, { file, hash })
      return
    }
    for (const [n, face] of photo.faces.entries()) await writer.add(face.image.pixels, { file, hash, face: faceRecord(face, n) })
    for (const [k, face] of photo.skipped.entries()) {
      const reason = `face ${photo.faces.length + k + 1}: ${face.reason}`
      skipped.push({ file, reason })
      writer.skip(file, reason, hash, skippedFaceRecord(face, photo.faces.length + k))
    }
    if (photo.faces.length === 0 && photo.skipped.length === 0) {
      const reason = photo.reason ?? 'no face found'
      skipped.push({ file, reason })
      writer.skip(file, reason, hash)
    }
  }

  try {
    progress(0, undefined, true)
    let next = 0
    for (let done = 0; done < entries.length;) {
      while (next < entries.length && roomForAnother()) window.push(prepare(entries[next++]))
      const item = await window.shift()!
      checkImportCancelled(signal)
      await record(item)
      done++
      progress(done, item.file, done === entries.length)
    }
    checkImportCancelled(signal)
  } catch (err) {
    await Promise.allSettled(window)
    await writer.abort()
    throw err
  } finally {
    await faces?.close()
  }
  if (writer.count === 0) {
    await writer.abort()
    const none =
      faces && tally.photos > 0
        ? `no faces found in ${folder}: import it with face finding off to use the whole files`
        : `no images found in ${folder}`
    throw new StudioError('bad-data', `${none}${describeSkips(skipped)}`)
  }
  const result = await writer.finish()
  const channels = writer.channels
  const keptWhole = tally.keptWholeNotice()
  if (keptWhole) notices.push(keptWhole)
  if (options.channels === 'auto' && channels === 1)
    notices.push('Every image is grey: imported in grayscale (1 channel); choose Colour to keep 3 channels')
  return {
    ...result,
    ...(faces ? { faces: tally.summary() } : {}),
    options: { ...settled, channels },
    ...(notices.length > 0 ? { notices } : {})
  }
}

/** No face found in a small picture that decoded: likely a face crop too tight for the detector. */
function isUndetectedPortrait(photo: PhotoFaces): boolean {
  return (
    photo.faces.length === 0 && photo.skipped.length === 0 && photo.reason === 'no face found' && isSmallPortrait(photo.width, photo.height)
  )
}

/**
 * Read synchronously: an asynchronous read is four hops through libuv's pool (open, stat, read,
 * close), each queued behind the decodes and costing ~0.3 ms of CPU per file on 2 cores
 * (250-px JPEGs imported at ~1,000 img/s with async reads, ~1,200 with these). Blocking is
 * cheap here: a photo is read in well under a millisecond, and the engine's event loop already
 * waits out whole training steps.
 */
function readSource(file: Buffer): { bytes: Buffer } | { reason: string } {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { reason: `${code === 'ERR_FS_FILE_TOO_LARGE' ? 'too large' : 'unreadable'}: ${errMessage(err)}` }
  }
  return bytes.length === 0 ? { reason: 'empty file' } : { bytes }
}

/** "…: 3 files skipped (2 not an image, 1 empty file)", so an empty result explains itself. */
function describeSkips(skipped: SkippedFile[]): string {
  if (skipped.length === 0) return ': the folder holds no files'
  const kinds = new Map<string, number>()
  for (const { reason } of skipped) {
    const kind = reason.split(':')[0]
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
  }
  const list = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')
  return `: ${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped (${list})`
}
