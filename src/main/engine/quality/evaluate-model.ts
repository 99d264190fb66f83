/**
 * The face-sample metric for a trained model: how close decoded samples are to the real faces
 * (Fréchet and kernel distance in face-embedding space), how well reconstructions keep identity,
 * and the floor (two halves of the real faces) that the distances should be read against.
 *
 * Real-face embeddings are the expensive, unchanging part (~50 ms per face on one core), so they
 * can be computed once (`referenceFaces`) and passed in for every later evaluation.
 */
import type { RawImage } from '../../../shared/images'
import { datasetRowToRawImage } from '../image/raw-images'
import { decodeCodes, encodeRows, sampleCodes } from '../inference/inference'
import type { VaeModel } from '../model/vae-model'
import type { DatasetPixels } from '../train/batch-builder'
import type { FaceEmbedder } from './face-embedder'
import { frechetDistance, frechetStats, type FrechetStats } from './frechet-distance'
import { identitySimilarity } from './identity-similarity'
import { kernelDistance } from './kernel-distance'
import type { Rows } from './linalg'
import { metricFloor, type MetricFloor } from './metric-floor'

/** Where sample codes come from; a pure function of (count, seed, temperature), so grids can be reproduced. */
export interface LatentSampler {
  readonly name: string
  readonly dim: number
  sample(count: number, seed: number, temperature?: number): number[][]
}

/** N(0, T²·I): draws exactly the codes `model:sample` draws for the same seed. */
export function priorSampler(dim: number): LatentSampler {
  return { name: 'prior', dim, sample: (count, seed, temperature = 1) => sampleCodes(dim, count, temperature, seed) }
}

export interface ReferenceFaces {
  embeddings: Float32Array[]
  stats: FrechetStats
  floor: MetricFloor
}

export interface SetDistance {
  frechet: number
  kid: number
  kidStd: number
  samples: number
  reference: number
}

export interface QualityReport extends SetDistance {
  /** Mean cosine similarity of held-out faces and their reconstructions from μ. */
  identity: number
  floor: MetricFloor
  heldOut: number
  sampler: string
  temperature: number
  /** Embedding cost per face on one core. */
  msPerFace: number
  seconds: number
}

export interface EvaluateOptions {
  embedder: FaceEmbedder
  /** Rows never trained on: their reconstructions give the identity figure. */
  heldOut: readonly number[]
  /** The real faces samples are compared with: computed from `referenceRows` (default all rows) when absent. */
  reference?: ReferenceFaces
  referenceRows?: readonly number[]
  sampler?: LatentSampler
  samples?: number
  seed?: number
  temperature?: number
}

export function datasetImages(data: DatasetPixels, indices: readonly number[]): RawImage[] {
  return indices.map((i) => datasetRowToRawImage(data.images, i, data.size, data.channels))
}

export async function referenceFaces(
  embedder: FaceEmbedder,
  data: DatasetPixels,
  indices: readonly number[],
  seed = 0
): Promise<ReferenceFaces> {
  const embeddings = await embedder.embed(datasetImages(data, indices))
  return { embeddings, stats: frechetStats(embeddings), floor: metricFloor(embeddings, seed) }
}

export function distanceToReference(samples: Rows, reference: ReferenceFaces, seed = 0): SetDistance {
  const kid = kernelDistance(samples, reference.embeddings, { seed })
  return {
    frechet: frechetDistance(reference.stats, samples),
    kid: kid.mean,
    kidStd: kid.std,
    samples: samples.length,
    reference: reference.embeddings.length
  }
}

export async function evaluateModel(
  model: VaeModel,
  data: DatasetPixels & { count: number },
  options: EvaluateOptions
): Promise<QualityReport> {
  const t0 = performance.now()
  const { embedder } = options
  const count = options.samples ?? 256
  const seed = options.seed ?? 0
  const temperature = options.temperature ?? 1
  const sampler = options.sampler ?? priorSampler(model.config.latentDim)
  const reference =
    options.reference ??
    (await referenceFaces(embedder, data, options.referenceRows ?? Array.from({ length: data.count }, (_, i) => i), seed))
  const before = embedder.timing
  const sampleFaces = await embedder.embed(decodeCodes(model, sampler.sample(count, seed, temperature)))
  const real = await embedder.embed(datasetImages(data, options.heldOut))
  const reconstructed = await embedder.embed(decodeCodes(model, encodeRows(model, data, options.heldOut).mu))
  const after = embedder.timing
  return {
    ...distanceToReference(sampleFaces, reference, seed),
    identity: identitySimilarity(real, reconstructed).mean,
    floor: reference.floor,
    heldOut: options.heldOut.length,
    sampler: sampler.name,
    temperature,
    msPerFace: (after.computeMs - before.computeMs) / Math.max(1, after.faces - before.faces),
    seconds: (performance.now() - t0) / 1000
  }
}
