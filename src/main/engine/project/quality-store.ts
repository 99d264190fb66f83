/**
 * What the sample-quality metric keeps in a project folder:
 *
 * - `quality.json`: every measurement (`QualityPoint`), so the chart and `info` have them after
 *   reopening. Written atomically; a damaged file is ignored (with a notice) and replaced by the
 *   next measurement, never a reason the project cannot open.
 * - `quality-embeddings.json`: the real faces' embeddings (reference and held-out), their floor and
 *   whether the images are faces at all, for one dataset: keyed by the dataset's content hash (and
 *   the held-out split), so a re-import or a new split computes them again. A cache: anything
 *   unreadable in it is simply recomputed.
 */
import { promises as fs } from 'node:fs'
import { z } from 'zod'
import type { QualityPoint } from '../../../shared/results'
import { writeFileAtomic } from '../fs/atomic-write'
import { projectPaths } from './project-paths'

const qualityFileVersion = 1

const finite = z.number().refine(Number.isFinite, 'must be a finite number')
const pointSchema = z.object({
  step: z.number().int().nonnegative(),
  frechet: finite,
  kid: finite,
  kidStd: finite,
  identity: finite,
  sharpness: finite.optional(),
  grid: finite.optional(),
  samples: z.number().int().nonnegative(),
  reference: z.number().int().nonnegative(),
  heldOut: z.number().int().nonnegative(),
  floor: z.object({ frechet: finite, kid: finite }),
  temperature: finite,
  seconds: finite
})
const qualityFileSchema = z.object({ version: z.literal(qualityFileVersion), points: z.array(pointSchema) })

export interface QualityRead {
  points: QualityPoint[]
  /** Why the file was ignored, when it was. */
  problem?: string
}

export async function readQualityPoints(dir: string): Promise<QualityRead> {
  const file = projectPaths(dir).qualityFile
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { points: [] }
    return { points: [], problem: `${file} could not be read (${(err as Error).message}); earlier quality measurements are not shown` }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return {
      points: [],
      problem: `${file} is damaged (not valid JSON); earlier quality measurements are ignored and the file will be rewritten`
    }
  }
  const parsed = qualityFileSchema.safeParse(raw)
  if (!parsed.success)
    return { points: [], problem: `${file} is damaged (${z.prettifyError(parsed.error)}); earlier quality measurements are ignored` }
  return { points: parsed.data.points.map(pick) }
}

/** Adds `point` (replacing an earlier one of the same step, sampling and size), sorted by step. */
export async function appendQualityPoint(dir: string, point: QualityPoint): Promise<QualityRead> {
  const read = await readQualityPoints(dir)
  const same = (p: QualityPoint): boolean => p.step === point.step && p.samples === point.samples && p.temperature === point.temperature
  const points = [...read.points.filter((p) => !same(p)), pick(point)].sort((a, b) => a.step - b.step)
  await writeFileAtomic(projectPaths(dir).qualityFile, JSON.stringify({ version: qualityFileVersion, points }, null, 1))
  return { points, problem: read.problem }
}

function pick(p: QualityPoint): QualityPoint {
  const { step, frechet, kid, kidStd, identity, sharpness, grid, samples, reference, heldOut, floor, temperature, seconds } = p
  return {
    step,
    frechet,
    kid,
    kidStd,
    identity,
    ...(sharpness === undefined ? {} : { sharpness }),
    ...(grid === undefined ? {} : { grid }),
    samples,
    reference,
    heldOut,
    floor: { frechet: floor.frechet, kid: floor.kid },
    temperature,
    seconds
  }
}

// ---- the embeddings cache ----

export interface FacesVerdict {
  applies: boolean
  /** How it was decided: imported with face finding, the built-in demo faces, or the detector's count. */
  rule: 'face-import' | 'demo' | 'detector'
  checked: number
  withFace: number
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

const rowsSchema = z.object({
  key: z.string(),
  rows: z.array(z.number().int().nonnegative()),
  dim: z.number().int().positive(),
  embeddings: z.string()
})
const cacheSchema = z.object({
  version: z.literal(1),
  dataset: z.string(),
  faces: z
    .object({ applies: z.boolean(), rule: z.enum(['face-import', 'demo', 'detector']), checked: z.number(), withFace: z.number() })
    .optional(),
  reference: rowsSchema.extend({ floor: z.object({ frechet: finite, kid: finite, half: z.number() }) }).optional(),
  heldOut: rowsSchema.optional()
})

/** The cache for `dataset` (the pixels' sha256); an empty one when absent, unreadable or for other pixels. */
export async function readEmbeddingCache(dir: string, dataset: string): Promise<EmbeddingCache> {
  try {
    const parsed = cacheSchema.safeParse(JSON.parse(await fs.readFile(projectPaths(dir).qualityCacheFile, 'utf8')))
    if (!parsed.success || parsed.data.dataset !== dataset) return { dataset }
    const { faces, reference, heldOut } = parsed.data
    const rows = (r: z.infer<typeof rowsSchema>): CachedEmbeddings | undefined => {
      const embeddings = fromBase64(r.embeddings, r.dim)
      return embeddings.length === r.rows.length ? { key: r.key, rows: r.rows, embeddings } : undefined
    }
    const ref = reference && rows(reference)
    const held = heldOut && rows(heldOut)
    return { dataset, faces, reference: ref && reference ? { ...ref, floor: reference.floor } : undefined, heldOut: held }
  } catch {
    return { dataset }
  }
}

export async function writeEmbeddingCache(dir: string, cache: EmbeddingCache): Promise<void> {
  const rows = (r: CachedEmbeddings) => ({
    key: r.key,
    rows: r.rows,
    dim: r.embeddings[0]?.length ?? 1,
    embeddings: toBase64(r.embeddings)
  })
  const json = {
    version: 1,
    dataset: cache.dataset,
    faces: cache.faces,
    reference: cache.reference ? { ...rows(cache.reference), floor: cache.reference.floor } : undefined,
    heldOut: cache.heldOut ? rows(cache.heldOut) : undefined
  }
  await writeFileAtomic(projectPaths(dir).qualityCacheFile, JSON.stringify(json))
}

function toBase64(rows: Float32Array[]): string {
  const dim = rows[0]?.length ?? 0
  const all = new Float32Array(rows.length * dim)
  rows.forEach((row, i) => all.set(row, i * dim))
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength).toString('base64')
}

function fromBase64(text: string, dim: number): Float32Array[] {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length % (4 * dim) !== 0) return []
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
  const rows: Float32Array[] = []
  for (let at = 0; at < all.length; at += dim) rows.push(all.slice(at, at + dim))
  return rows
}
