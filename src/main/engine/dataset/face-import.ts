/**
 * What importing by face finding adds to a folder import: the finder (worker threads on every
 * core, with a cache of detections by file content kept beside the dataset), the options the
 * finder takes, the index record of each face, and the summary a user reads afterwards.
 */
import type { DatasetOptions, FaceImportOptions } from '../../../shared/config'
import type { FaceImportSummary } from '../../../shared/contract'
import { createFaceFinder, loadFaceCache, type AlignedFace, type FaceFinder, type PhotoFaces, type SkippedFace } from '../faces'
import type { FaceRecord } from './dataset-index'

/** A finder for one import, closed (and its cache saved) by `close`. */
export interface ImportFaceFinder {
  /** The photo's faces; copies of one photo (same hash) asked for at once share one search. */
  find(bytes: Uint8Array, hash: string, signal?: AbortSignal): Promise<PhotoFaces>
  /** Set when the saved cache was damaged and set aside (one sentence for the summary). */
  cacheProblem?: string
  close(): Promise<void>
}

/**
 * @param cacheFile where detections are kept between imports: re-importing the same photos
 *   (another size, framing or colour) runs no net again.
 */
export async function openFaceFinder(options: DatasetOptions, cacheFile?: string, finder?: FaceFinder): Promise<ImportFaceFinder> {
  const cache = cacheFile ? await loadFaceCache(cacheFile) : undefined
  const own = finder ?? createFaceFinder({ cache })
  const alignment = { size: options.size, channels: options.channels, ...alignOptionsOf(options.faces) }
  const finding = new Map<string, Promise<PhotoFaces>>()
  return {
    find(bytes, hash, signal) {
      let pending = finding.get(hash)
      if (!pending) {
        pending = own.findFaces({ bytes, hash }, alignment, signal)
        finding.set(hash, pending)
        const forget = (): void => void finding.delete(hash)
        pending.then(forget, forget)
      }
      return pending
    },
    ...(cache?.problem ? { cacheProblem: cache.problem } : {}),
    async close() {
      if (!finder) await own.close()
      // Detections made before a cancel or a failure are worth keeping too.
      if (cacheFile && cache?.changed) await cache.save(cacheFile)
    }
  }
}

function alignOptionsOf(faces: FaceImportOptions): {
  framing: FaceImportOptions['framing']
  minFaceSize: number
  which: FaceImportOptions['which']
} {
  return { framing: faces.framing, minFaceSize: faces.minFaceSize, which: faces.which }
}

const round1 = (v: number) => Math.round(v * 10) / 10

/** What the dataset index keeps of an imported face, coordinates to a tenth of a pixel. */
export function faceRecord(face: AlignedFace, n: number): FaceRecord {
  return {
    n,
    box: { x: round1(face.box.x), y: round1(face.box.y), width: round1(face.box.width), height: round1(face.box.height) },
    score: Math.round(face.score * 1000) / 1000,
    landmarks: face.landmarks.map(([x, y]) => [round1(x), round1(y)]),
    transform: [...face.transform],
    age: Math.round(face.age * 10) / 10,
    gender: face.gender,
    genderProbability: Math.round(face.genderProbability * 1000) / 1000,
    expressions: Object.fromEntries(Object.entries(face.expressions).map(([name, p]) => [name, Math.round(p * 1000) / 1000]))
  }
}

/** A face left out by the options: where it was, numbered after the kept ones. */
export function skippedFaceRecord(face: SkippedFace, n: number): FaceRecord {
  return {
    n,
    box: { x: round1(face.box.x), y: round1(face.box.y), width: round1(face.box.width), height: round1(face.box.height) },
    score: Math.round(face.score * 1000) / 1000
  }
}

/**
 * Counts kept while importing (copies of a photo are not counted again); `summary` also says
 * whether most photos had no face.
 */
export class FaceTally {
  photos = 0
  faces = 0
  photosWithoutFace = 0
  facesSkipped = 0
  /** Small portraits with no face found, imported whole (the first few named in the notice). */
  readonly keptWhole: string[] = []

  /** @param keptWhole the photo had no face found and was imported whole. */
  count(photo: PhotoFaces, file: string, keptWhole = false): void {
    if (photo.width === 0) return
    this.photos++
    this.faces += photo.faces.length
    this.facesSkipped += photo.skipped.length
    if (keptWhole) this.keptWhole.push(file)
    else if (photo.faces.length === 0 && photo.skipped.length === 0) this.photosWithoutFace++
  }

  summary(): FaceImportSummary {
    const { photos, faces, photosWithoutFace, facesSkipped } = this
    return {
      photos,
      faces,
      photosWithoutFace,
      facesSkipped,
      keptWhole: this.keptWhole.length,
      mostlyNoFaces: photos > 0 && (photosWithoutFace + this.keptWhole.length) / photos > 0.5
    }
  }

  /** The sentence for the summary when small portraits were kept whole. */
  keptWholeNotice(): string | null {
    const n = this.keptWhole.length
    if (n === 0) return null
    const named = this.keptWhole.slice(0, 3).join(', ') + (n > 3 ? ` and ${n - 3} more` : '')
    return `${n === 1 ? '1 small portrait' : `${n} small portraits`} with no face found ${n === 1 ? 'was' : 'were'} imported whole, not aligned (${named})`
  }
}
