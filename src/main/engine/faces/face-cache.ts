/**
 * Detections by photo content, so importing the same photos again (another crop size, another
 * framing, a re-import after adding files) runs no net for the photos already seen. Keyed by the
 * sha256 of the file's bytes plus the options that change what the nets return (see
 * `detectionKey`); alignment options are not part of the key. Saved as one JSON file, written
 * atomically (temp file, fsync, rename), at a path the caller chooses (e.g. inside the project).
 * Every entry is checked on load: a file that fails the check is set aside under a dated name
 * (never silently dropped) and the cache starts empty, since it only ever saves time.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs/atomic-write'
import { setAside } from '../fs/damaged-file'
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

/** zod 4's numbers refuse Infinity (a 1e999 in the file) as well as NaN. */
const finite = z.number()
const detectedFaceSchema = z.object({
  box: z.object({ x: finite, y: finite, width: finite.refine((v) => v > 0), height: finite.refine((v) => v > 0) }),
  score: finite,
  landmarks: z.array(z.tuple([finite, finite])).length(68),
  age: finite,
  gender: z.enum(['male', 'female']),
  genderProbability: finite,
  expressions: z.object({
    neutral: finite,
    happy: finite,
    sad: finite,
    angry: finite,
    fearful: finite,
    disgusted: finite,
    surprised: finite
  }),
  descriptor: z.array(finite).length(128).optional()
})
const entriesSchema = z.record(
  z.string(),
  z.object({ width: finite.refine((v) => v > 0), height: finite.refine((v) => v > 0), faces: z.array(detectedFaceSchema) })
)

export interface FaceCache {
  get(key: string): PhotoDetections | undefined
  set(key: string, detections: PhotoDetections): void
  readonly size: number
  /** Lookups answered and not answered since creation (for progress and tests). */
  readonly hits: number
  readonly misses: number
  /** True when something was added since the last load or save. */
  readonly changed: boolean
  /** Set when the file could not be used: what was wrong and where it was set aside (for the user). */
  readonly problem?: string
  save(file: string): Promise<void>
}

export function createFaceCache(entries: Record<string, PhotoDetections> = {}, problem?: string): FaceCache {
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
    problem,
    async save(file) {
      const body: CacheFile = { version: faceCacheVersion, nets, entries: Object.fromEntries(map) }
      await writeFileAtomic(file, JSON.stringify(body))
      changed = false
    }
  }
}

/**
 * The cache saved at `file`; an empty one when there is none yet or it was written by another
 * version or other nets (its detections would differ, not be wrong). A damaged file (not JSON,
 * entries of the wrong shape, numbers that are not finite) is renamed to a dated
 * `<name>.damaged-<time>.json` beside it, and the empty cache's `problem` says so.
 */
export async function loadFaceCache(file: string, now: Date = new Date()): Promise<FaceCache> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return createFaceCache()
    throw err
  }
  let parsed: Partial<CacheFile> | null
  try {
    parsed = JSON.parse(text) as Partial<CacheFile> | null
  } catch {
    return createFaceCache({}, await setDamagedAside(file, 'it is not valid JSON', now))
  }
  if (parsed === null || typeof parsed !== 'object')
    return createFaceCache({}, await setDamagedAside(file, 'it does not hold a JSON object', now))
  if (parsed.version !== faceCacheVersion || parsed.nets !== nets) return createFaceCache()
  const checked = entriesSchema.safeParse(parsed.entries)
  if (!checked.success) return createFaceCache({}, await setDamagedAside(file, describeIssue(checked.error), now))
  return createFaceCache(checked.data as Record<string, PhotoDetections>)
}

/** Moves a damaged cache out of the way under a dated name; says what happened, in the user's words. */
async function setDamagedAside(file: string, why: string, now: Date): Promise<string> {
  const aside = await setAside(file, now)
  return aside
    ? `the face cache ${path.basename(file)} was damaged (${why}); it was set aside as ${aside} and faces were found again`
    : `the face cache ${path.basename(file)} is damaged (${why}) and could not be set aside; faces were found again`
}

/** The first problem, with where it is: "entry 3f2a91c0… › faces › 0 › landmarks: Too small: …". */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  const where = issue.path.map((key) => (typeof key === 'string' && key.length > 24 ? `${key.slice(0, 8)}…` : String(key))).join(' › ')
  return where ? `entry ${where}: ${issue.message}` : `entries: ${issue.message}`
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
