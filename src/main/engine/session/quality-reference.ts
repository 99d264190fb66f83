/**
 * What a dataset's samples are measured against, computed once per dataset (and split) and cached
 * in the project: whether its images show faces at all, the real faces' embeddings with their
 * floor, and the held-out faces whose reconstructions give the identity figure. `QualityReferences`
 * keeps them in memory too, per project and dataset, so each is worked out once per session.
 */
import type { TrainConfig } from '../../../shared/config'
import type { RawImage } from '../../../shared/images'
import type { OpenedDataset } from '../dataset/open-dataset'
import { rowsFromSources } from '../dataset/source-images'
import type { OpenProject } from './open-project'
import { yieldToEvents } from '../inference/decode-in-slices'
import type { FaceEmbedder } from '../quality/face-embedder'
import { facesSampleSize, facesShown, sampleRows } from '../quality/faces-shown'
import {
  datasetImages,
  heldOutCap,
  heldOutFaces,
  heldOutRows,
  referenceCap,
  referenceOf,
  referenceRows,
  referenceSeed,
  type HeldOutFaces,
  type ReferenceFaces
} from '../quality/reference-faces'
import { splitIndices } from '../train/data-split'
import { faceEmbeddingDim } from '../quality/face-embed-protocol'
import {
  readEmbeddingCache,
  writeEmbeddingCache,
  type CacheLimits,
  type CachedEmbeddings,
  type EmbeddingCache,
  type FacesVerdict
} from '../project/embedding-cache'

export interface PreparedReference {
  reference: ReferenceFaces
  heldOut: HeldOutFaces
}

/** Applies a change to the project's embedding cache (writes are queued by the caller). */
export type CacheUpdate = (change: (cache: EmbeddingCache) => EmbeddingCache) => Promise<void>

/** Says what was wrong with the project's embedding cache, when something was. */
export type CacheProblem = (problem: string) => void

/** What a dataset's cache must agree with. */
export function cacheLimits(data: OpenedDataset): CacheLimits {
  return { rows: data.count, dim: faceEmbeddingDim }
}

/** The project's cache for `data`, reporting (and setting aside) a damaged one. */
export async function readCache(dir: string, data: OpenedDataset, report: CacheProblem): Promise<EmbeddingCache> {
  const { cache, problem } = await readEmbeddingCache(dir, data.imagesSha256, cacheLimits(data))
  if (problem) report(problem)
  return cache
}

/** Rows smaller than this are shown to the detector decoded again from their source files. */
const detectorSide = 64

/**
 * Faces or not: imported with face finding, the demo faces, or ≥ half of a seeded sample shows a
 * face to the detector. A small dataset's "not faces" kept from before its rows were seen at the
 * detector's size is decided again.
 */
export async function decideFaces(
  dir: string,
  data: OpenedDataset,
  signal: AbortSignal,
  update: CacheUpdate,
  report: CacheProblem
): Promise<FacesVerdict> {
  if (data.files.some((f) => f.status === 'imported' && f.face)) return { applies: true, rule: 'face-import', checked: 0, withFace: 0 }
  if (data.source === 'demo') return { applies: true, rule: 'demo', checked: 0, withFace: 0 }
  const cache = await readCache(dir, data, report)
  if (cache.faces && (cache.faces.applies || data.size >= detectorSide || cache.faces.fromSources !== undefined)) return cache.faces
  const { images, fromSources } = await detectorImages(data, sampleRows(data.count, facesSampleSize, referenceSeed))
  const shown = await facesShown(images, { signal })
  const faces: FacesVerdict = { applies: shown.applies, rule: 'detector', checked: shown.checked, withFace: shown.withFace, fromSources }
  await update((c) => ({ ...c, faces }))
  return faces
}

/** The sampled rows as the detector can see them, and how many were decoded again from their source files. */
async function detectorImages(data: OpenedDataset, rows: number[]): Promise<{ images: RawImage[]; fromSources: number }> {
  const own = datasetImages(data, rows)
  if (data.size >= detectorSide) return { images: own, fromSources: 0 }
  const again = await rowsFromSources(data, rows, detectorSide)
  return { images: own.map((image, i) => again[i] ?? image), fromSources: again.filter(Boolean).length }
}

/** Reference and held-out embeddings of this dataset and split: from the project's cache, else computed and cached. */
export async function prepareReference(
  dir: string,
  data: OpenedDataset,
  train: TrainConfig,
  embedder: FaceEmbedder,
  update: CacheUpdate,
  report: CacheProblem
): Promise<PreparedReference> {
  const refRows = referenceRows(data.count)
  const refKey = `all rows, ≤ ${referenceCap} chosen with seed ${referenceSeed}`
  // Without a held-out split (valFraction 0), identity is measured on training faces.
  const heldRows = heldOutRows(data.count, splitIndices(data.count, train.valFraction, train.seed).val)
  const heldKey = `held out: fraction ${train.valFraction}, seed ${train.seed}, ≤ ${heldOutCap}`
  const cache = await readCache(dir, data, report)
  let reference = matching(cache.reference, refKey, refRows, report)
  let heldOut = matching(cache.heldOut, heldKey, heldRows, report)
  if (!reference) {
    const { embeddings, floor } = referenceOf(await embedder.embed(datasetImages(data, refRows)))
    await yieldToEvents()
    reference = { key: refKey, rows: refRows, embeddings, floor }
  }
  if (!heldOut) heldOut = { key: heldKey, ...(await heldOutFaces(embedder, data, heldRows)) }
  if (cache.reference !== reference || cache.heldOut !== heldOut) {
    const [ref, held] = [reference, heldOut]
    await update((c) => ({ ...c, reference: ref, heldOut: held }))
  }
  await yieldToEvents()
  return {
    reference: referenceOf(reference.embeddings, reference.floor),
    heldOut: { rows: heldOut.rows, embeddings: heldOut.embeddings }
  }
}

/**
 * Cached embeddings of `key` when they are of exactly the rows that key chooses now; rows that
 * differ under the same key were changed by hand or by damage, are reported and embedded again.
 */
function matching<T extends CachedEmbeddings>(cached: T | undefined, key: string, rows: number[], report: CacheProblem): T | undefined {
  if (cached?.key !== key) return undefined
  if (cached.rows.length === rows.length && cached.rows.every((r, i) => r === rows[i])) return cached
  report(`the cached embeddings of the real faces (${key}) were of other images than that choice gives; they are embedded again`)
  return undefined
}

/** Runs a write to the project's quality files after the ones before it. */
export type WriteQueue = <T>(write: () => Promise<T>) => Promise<T>

/** The verdict and the prepared reference per project and dataset (pixels' hash), each worked out once. */
export class QualityReferences {
  private readonly memo = new Map<
    string,
    { verdict?: Promise<FacesVerdict>; prepared?: { split: string; promise: Promise<PreparedReference> } }
  >()

  constructor(
    /** Pulled when the session closes: stops a face check in the detector. */
    private readonly closing: AbortSignal,
    private readonly queue: WriteQueue,
    private readonly report: CacheProblem
  ) {}

  /** Faces or not: imported with face finding, the demo faces, or ≥ half of a seeded sample shows a face to the detector. */
  verdict(project: OpenProject, data: OpenedDataset): Promise<FacesVerdict> {
    const memo = this.memoFor(project, data.imagesSha256)
    memo.verdict ??= decideFaces(project.dir, data, this.closing, this.updater(project.dir, data), this.report).catch((err: unknown) => {
      memo.verdict = undefined
      throw err
    })
    return memo.verdict
  }

  /** Reference and held-out embeddings of this dataset and the project's split: from its cache, else computed and cached. */
  prepared(project: OpenProject, data: OpenedDataset, embedder: FaceEmbedder): Promise<PreparedReference> {
    const memo = this.memoFor(project, data.imagesSha256)
    // The held-out faces follow the project's split, which a new run may change.
    const split = `${project.file.train.valFraction} ${project.file.train.seed}`
    if (memo.prepared?.split !== split) {
      const update = this.updater(project.dir, data)
      const entry = {
        split,
        promise: prepareReference(project.dir, data, project.file.train, embedder, update, this.report).catch((err: unknown) => {
          if (memo.prepared === entry) memo.prepared = undefined
          throw err
        })
      }
      memo.prepared = entry
    }
    return memo.prepared.promise
  }

  private memoFor(project: OpenProject, dataset: string) {
    const key = `${project.dir}\n${dataset}`
    let entry = this.memo.get(key)
    if (!entry) this.memo.set(key, (entry = {}))
    return entry
  }

  private updater(dir: string, data: OpenedDataset): CacheUpdate {
    return (change) => this.queue(async () => writeEmbeddingCache(dir, change(await readCache(dir, data, this.report)), cacheLimits(data)))
  }
}
