/**
 * The real faces generated ones are measured against, chosen the same way wherever the metric is
 * taken (the studio, `vae-studio evaluate`, the bench), so their figures compare: up to 512 of
 * the dataset's images picked with a fixed seed, with their embeddings and the floor of the set
 * metrics among them, and up to 64 held-out images (the run's validation split) whose
 * reconstructions give the identity figure.
 *
 * Embedding real faces is the expensive, unchanging part (~50 ms a face on one core): callers
 * compute it once per dataset and keep it (the studio caches it in the project).
 */
import type { RawImage } from '../../../shared/images'
import { datasetRowToRawImage } from '../image/raw-images'
import type { DatasetPixels } from '../train/batch-builder'
import type { FaceEmbedder } from './face-embedder'
import { sampleRows } from './faces-shown'
import { frechetStats, type FrechetStats } from './frechet-distance'
import { metricFloor, type MetricFloor } from './metric-floor'

/** Real faces the samples are compared with, at most. */
export const referenceCap = 512
/** Held-out faces whose reconstructions give the identity figure, at most. */
export const heldOutCap = 64
export const referenceSeed = 0

export interface ReferenceFaces {
  embeddings: Float32Array[]
  stats: FrechetStats
  floor: MetricFloor
}

/** Embeddings of real held-out faces and the dataset rows they are. */
export interface HeldOutFaces {
  rows: number[]
  embeddings: Float32Array[]
}

/** The dataset rows of the reference: every row, or `referenceCap` of them chosen with the fixed seed. */
export function referenceRows(count: number): number[] {
  return sampleRows(count, referenceCap, referenceSeed)
}

/** The held-out rows: the validation split's (the reference's without one), at most `heldOutCap`, chosen with the fixed seed. */
export function heldOutRows(count: number, val: readonly number[]): number[] {
  const pool = val.length > 0 ? [...val] : referenceRows(count)
  return pool.length > heldOutCap ? sampleRows(pool.length, heldOutCap, referenceSeed).map((i) => pool[i]) : pool
}

export function datasetImages(data: DatasetPixels, rows: readonly number[]): RawImage[] {
  return rows.map((i) => datasetRowToRawImage(data.images, i, data.size, data.channels))
}

/** The reference of embeddings already computed (`floor` given when it was kept with them). */
export function referenceOf(embeddings: Float32Array[], floor: MetricFloor = metricFloor(embeddings, referenceSeed)): ReferenceFaces {
  return { embeddings, stats: frechetStats(embeddings), floor }
}

/** Embeds the faces of `rows` and makes them a reference. */
export async function referenceFaces(embedder: FaceEmbedder, data: DatasetPixels, rows: readonly number[]): Promise<ReferenceFaces> {
  return referenceOf(await embedder.embed(datasetImages(data, rows)))
}

/** Embeds the held-out faces of `rows`. */
export async function heldOutFaces(embedder: FaceEmbedder, data: DatasetPixels, rows: readonly number[]): Promise<HeldOutFaces> {
  return { rows: [...rows], embeddings: rows.length > 0 ? await embedder.embed(datasetImages(data, rows)) : [] }
}
