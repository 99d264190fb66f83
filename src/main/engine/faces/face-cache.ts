/**
 * Detections by photo content, so importing the same photos again (another crop size, another
 * framing, a re-import after adding files) runs no net for the photos already seen. Keyed by the
 * sha256 of the file's bytes plus the options that change what the nets return (see
 * `detectionKey`); alignment options are not part of the key. Saved as one JSON file, written
 * atomically (temp file, fsync, rename), at a path the caller chooses (e.g. inside the project).
 */
import { promises as fs } from 'node:fs'
import { writeFileAtomic } from '../fs/atomic-write'
import type { DetectedFace, PhotoDetections } from './face-types'

/**
 * Bumped when the nets, their pre-processing or this format change: older files are ignored.
 * 2: doubtful tiny-detector boxes get a second look by SSD (see second-look.ts).
 */
export const faceCacheVersion = 2
/** Other weights give other detections: a cache from another face-api release is ignored. */
const nets = `face-api@${(require('@vladmandic/face-api/package.json') as { version: string }).version}`

interface CacheFile {
  version: number
  nets: string
  entries: Record<string, PhotoDetections>
}

export interface FaceCache {
  get(key: string): PhotoDetections | undefined
  set(key: string, detections: PhotoDetections): void
  readonly size: number
  /** Lookups answered and not answered since creation (for progress and tests). */
  readonly hits: number
  readonly misses: number
  /** True when something was added since the last load or save. */
  readonly changed: boolean
  save(file: string): Promise<void>
}

export function createFaceCache(entries: Record<string, PhotoDetections> = {}): FaceCache {
  const map = new Map(Object.entries(entries))
  let hits = 0
  let misses = 0
  let changed = false
  return {
    get(key) {
      const found = map.get(key)
      if (found) hits++
      else misses++
      return found
    },
    set(key, detections) {
      if (detections.unreadable) return
      map.set(key, compact(detections))
      changed = true
    },
    get size() {
      return map.size
    },
    get hits() {
      return hits
    },
    get misses() {
      return misses
    },
    get changed() {
      return changed
    },
    async save(file) {
      const body: CacheFile = { version: faceCacheVersion, nets, entries: Object.fromEntries(map) }
      await writeFileAtomic(file, JSON.stringify(body))
      changed = false
    }
  }
}

/**
 * The cache saved at `file`; an empty one when there is none yet, or when it was written by
 * another version (a damaged file also starts empty: the cache only saves time, never data).
 */
export async function loadFaceCache(file: string): Promise<FaceCache> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return createFaceCache()
    throw err
  }
  try {
    const parsed = JSON.parse(text) as Partial<CacheFile>
    if (parsed.version !== faceCacheVersion || parsed.nets !== nets || typeof parsed.entries !== 'object' || !parsed.entries) {
      return createFaceCache()
    }
    return createFaceCache(parsed.entries)
  } catch {
    return createFaceCache()
  }
}

/** Rounded to what matters (0.01 px, 5 digits), which keeps a 5,000-photo cache to a few MB. */
function compact(detections: PhotoDetections): PhotoDetections {
  return { width: detections.width, height: detections.height, faces: detections.faces.map(compactFace) }
}

function compactFace(face: DetectedFace): DetectedFace {
  const r2 = (v: number): number => Math.round(v * 100) / 100
  const r5 = (v: number): number => Math.round(v * 1e5) / 1e5
  const out: DetectedFace = {
    box: { x: r2(face.box.x), y: r2(face.box.y), width: r2(face.box.width), height: r2(face.box.height) },
    score: r5(face.score),
    landmarks: face.landmarks.map(([x, y]) => [r2(x), r2(y)]),
    age: r2(face.age),
    gender: face.gender,
    genderProbability: r5(face.genderProbability),
    expressions: Object.fromEntries(Object.entries(face.expressions).map(([k, v]) => [k, r5(v)])) as DetectedFace['expressions']
  }
  if (face.descriptor) out.descriptor = face.descriptor.map((v) => Math.round(v * 1e6) / 1e6)
  return out
}
