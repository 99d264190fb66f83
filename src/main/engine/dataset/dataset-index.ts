/**
 * The imported dataset on disk: `images.u8` (N×S×S×C uint8, row-major, channels interleaved) and
 * `index.json`, which says how to read it and what became of every source file. The index is the
 * cheap half: listing skipped files or showing counts never needs the pixels.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { StudioError } from '../../../shared/errors'

export const IMAGES_FILE = 'images.u8'
export const INDEX_FILE = 'index.json'
/** 2 adds the `face` of entries imported by face finding; version-1 indexes read as they are. */
export const INDEX_VERSION = 2

const point = z.tuple([z.number(), z.number()])

/**
 * A face found in a photo (photo coordinates, upright, full size): where it was, what the nets
 * said of it, and how it was cut out. Skipped faces keep only where they were and how sure.
 */
const faceRecordSchema = z.object({
  /** Its place among the photo's faces, in the order the detector found them. */
  n: z.number().int().nonnegative(),
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  score: z.number(),
  landmarks: z.array(point).optional(),
  /** Photo → crop, [a, b, c, d, e, f]. */
  transform: z.array(z.number()).length(6).optional(),
  age: z.number().optional(),
  gender: z.enum(['male', 'female']).optional(),
  genderProbability: z.number().optional(),
  expressions: z.record(z.string(), z.number()).optional()
})
export type FaceRecord = z.infer<typeof faceRecordSchema>

const indexEntrySchema = z.object({
  /** Path relative to the imported folder, '/' separators (or a generator's name for the image). */
  file: z.string(),
  /** sha256 of the file's bytes; absent when the file could not be read. */
  hash: z.string().optional(),
  status: z.enum(['imported', 'skipped', 'duplicate']),
  /** Row in images.u8: the image's own row, or for a duplicate the row of its first copy. */
  index: z.number().int().nonnegative().optional(),
  reason: z.string().optional(),
  /** Imported by face finding: which face of the file this row is (or which face was skipped). */
  face: faceRecordSchema.optional()
})
export type IndexEntry = z.infer<typeof indexEntrySchema>

const datasetIndexSchema = z.object({
  version: z.union([z.literal(1), z.literal(INDEX_VERSION)]),
  size: z.union([z.literal(32), z.literal(64), z.literal(128)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  fit: z.enum(['crop', 'pad']),
  /** Where the images came from: a folder path, or 'demo'. */
  source: z.string(),
  count: z.number().int().nonnegative(),
  /** sha256 of images.u8, so a cache whose two files come from different imports is caught. */
  imagesSha256: z.string(),
  files: z.array(indexEntrySchema)
})
export type DatasetIndex = z.infer<typeof datasetIndexSchema>

export function damaged(detail: string): StudioError {
  return new StudioError('bad-data', `dataset cache is damaged: ${detail}`)
}

/** Reads and validates index.json alone, without touching the (possibly large) pixel file. */
export async function readDatasetIndex(dir: string): Promise<DatasetIndex> {
  const file = path.join(dir, INDEX_FILE)
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StudioError('not-found', `no dataset in ${dir}: ${INDEX_FILE} is missing`)
    }
    throw err
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw damaged(`${file} is not valid JSON`)
  }
  const version = (raw as { version?: unknown } | null)?.version
  if (typeof version === 'number' && version > INDEX_VERSION) {
    throw new StudioError(
      'newer-schema',
      `dataset cache version ${version} is newer than this studio reads (${INDEX_VERSION}); update VAE Studio`
    )
  }
  const parsed = datasetIndexSchema.safeParse(raw)
  if (!parsed.success) throw damaged(`${file} does not match the index schema: ${z.prettifyError(parsed.error)}`)
  const index = parsed.data
  const rows = index.files.filter((f) => f.status === 'imported').length
  if (rows !== index.count) throw damaged(`${file} lists ${rows} imported files but a count of ${index.count}`)
  return index
}
