/**
 * `quality-embeddings.json`: the real faces' embeddings (reference and held-out), their floor and
 * whether the images are faces at all, for one dataset: keyed by the dataset's content hash (and
 * the rows chosen), so a re-import or a new split computes them again. A cache, but one whose
 * damage would bend every later measurement (a NaN makes every distance NaN; a wrong row makes
 * identity compare the wrong faces), so it is validated on read and on write: finite numbers,
 * the embedding size, rows inside the dataset and in the order they are chosen. A damaged file
 * is set aside with a dated name and reported, and its figures computed again.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs/atomic-write'
import { setAside } from '../fs/damaged-file'
import { projectPaths } from './project-paths'
import { describeIssues } from './project-schema'
import { finiteNumber } from './quality-store'

export interface FacesVerdict {
  applies: boolean
  /** How it was decided: imported with face finding, the built-in demo faces, or the detector's count. */
  rule: 'face-import' | 'demo' | 'detector'
  checked: number
  withFace: number
  /** Of those checked, how many the detector saw decoded again from their source files (a small dataset's); absent in caches written before. */
  fromSources?: number
}

export interface CachedEmbeddings {
  /** Which rows, and with which settings they were chosen (the key). */
  key: string
  rows: number[]
  embeddings: Float32Array[]
}

export interface EmbeddingCache {
  /** sha256 of the dataset's pixels. */
  dataset: string
  faces?: FacesVerdict
  reference?: CachedEmbeddings & { floor: { frechet: number; kid: number; half: number } }
  heldOut?: CachedEmbeddings
}

/** What the cache must agree with: the dataset's size and the embedder's output size. */
export interface CacheLimits {
  rows: number
  dim: number
}

export interface CacheRead {
  cache: EmbeddingCache
  /** What was wrong with the file and what became of it, when something was. */
  problem?: string
}

const count = z.number().int().nonnegative()
const rowsSchema = z.object({ key: z.string(), rows: z.array(count), dim: z.number().int().positive(), embeddings: z.string() })
const cacheSchema = z.object({
  version: z.literal(1),
  dataset: z.string(),
  faces: z
    .object({
      applies: z.boolean(),
      rule: z.enum(['face-import', 'demo', 'detector']),
      checked: count,
      withFace: count,
      fromSources: count.optional()
    })
    .refine((f) => f.withFace <= f.checked, 'more faces than images checked')
    .optional(),
  reference: rowsSchema.extend({ floor: z.object({ frechet: finiteNumber.min(0), kid: finiteNumber, half: count }) }).optional(),
  heldOut: rowsSchema.optional()
})

/** The cache for `dataset` (the pixels' sha256); an empty one when absent or for other pixels, and one set aside when damaged. */
export async function readEmbeddingCache(dir: string, dataset: string, limits: CacheLimits): Promise<CacheRead> {
  const file = projectPaths(dir).qualityCacheFile
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cache: { dataset } }
    return { cache: { dataset }, problem: `${file} could not be read (${(err as Error).message}); the real faces are embedded again` }
  }
  const read = parseCache(text, dataset, limits)
  if (typeof read !== 'string') return { cache: read }
  const aside = await setAside(file)
  const where = aside ? `set aside as ${aside}` : 'left where it is (the folder is not writable)'
  return { cache: { dataset }, problem: `${path.basename(file)} was damaged (${read}): ${where}; the real faces are embedded again` }
}

export async function writeEmbeddingCache(dir: string, cache: EmbeddingCache, limits: CacheLimits): Promise<void> {
  const rows = (r: CachedEmbeddings) => ({
    key: r.key,
    rows: r.rows,
    dim: r.embeddings[0]?.length ?? limits.dim,
    embeddings: toBase64(r.embeddings)
  })
  const json = {
    version: 1,
    dataset: cache.dataset,
    faces: cache.faces,
    reference: cache.reference ? { ...rows(cache.reference), floor: cache.reference.floor } : undefined,
    heldOut: cache.heldOut ? rows(cache.heldOut) : undefined
  }
  const text = JSON.stringify(json)
  // What is written must read back: a NaN or a wrong row never reaches the file.
  const check = parseCache(text, cache.dataset, limits)
  if (typeof check === 'string') throw new Error(`the real faces' embeddings were not cached: ${check}`)
  await writeFileAtomic(projectPaths(dir).qualityCacheFile, text)
}

/** The cache in `text`, or what is wrong with it. Another dataset's cache is not damaged: it is simply not this one's. */
function parseCache(text: string, dataset: string, limits: CacheLimits): EmbeddingCache | string {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`
  }
  const parsed = cacheSchema.safeParse(raw)
  if (!parsed.success) return describeIssues(parsed.error)
  if (parsed.data.dataset !== dataset) return { dataset }
  const { faces, reference, heldOut } = parsed.data
  const ref = reference && rowsOf('reference', reference, limits)
  if (typeof ref === 'string') return ref
  const held = heldOut && rowsOf('held-out', heldOut, limits)
  if (typeof held === 'string') return held
  return { dataset, faces, reference: ref && reference ? { ...ref, floor: reference.floor } : undefined, heldOut: held }
}

function rowsOf(name: string, r: z.infer<typeof rowsSchema>, limits: CacheLimits): CachedEmbeddings | string {
  if (r.dim !== limits.dim) return `${name} embeddings have ${r.dim} values each, not ${limits.dim}`
  const outside = r.rows.find((row) => row >= limits.rows)
  if (outside !== undefined) return `${name} row ${outside} is outside the dataset's ${limits.rows} images`
  if (new Set(r.rows).size !== r.rows.length) return `${name} rows repeat`
  const embeddings = fromBase64(r.embeddings, r.dim)
  if (embeddings === null || embeddings.length !== r.rows.length)
    return `${name} embeddings do not match their ${r.rows.length} rows of ${r.dim} values`
  const bad = embeddings.findIndex((e) => !e.every(Number.isFinite))
  if (bad >= 0) return `${name} embedding of row ${r.rows[bad]} holds a value that is not a finite number`
  return { key: r.key, rows: r.rows, embeddings }
}

function toBase64(rows: Float32Array[]): string {
  const dim = rows[0]?.length ?? 0
  const all = new Float32Array(rows.length * dim)
  rows.forEach((row, i) => all.set(row, i * dim))
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength).toString('base64')
}

function fromBase64(text: string, dim: number): Float32Array[] | null {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length % (4 * dim) !== 0) return null
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
  const rows: Float32Array[] = []
  for (let at = 0; at < all.length; at += dim) rows.push(all.slice(at, at + dim))
  return rows
}
