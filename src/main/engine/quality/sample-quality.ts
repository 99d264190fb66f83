/**
 * The sample-quality measurement, the one the studio (`model:evaluate`, the measurements while
 * training), `vae-studio evaluate` and the bench all take, so their figures cannot drift apart:
 * prior samples of the model (a fixed seed and temperature) against the real reference faces —
 * face Fréchet distance and KID in face-embedding space, each beside its floor — and the
 * identity kept by the reconstructions of held-out faces.
 *
 * Decoding goes in slices with turns of the event loop between them, so the engine keeps
 * answering requests while it measures.
 */
import type { QualityPoint } from '../../../shared/results'
import { decodeInSlices, yieldToEvents } from '../inference/decode-in-slices'
import { encodeRows, sampleCodes } from '../inference/inference'
import type { VaeModel } from '../model/vae-model'
import type { DatasetPixels } from '../train/batch-builder'
import type { FaceEmbedder } from './face-embedder'
import { frechetDistance } from './frechet-distance'
import { identitySimilarity } from './identity-similarity'
import { kernelDistance } from './kernel-distance'
import type { Rows } from './linalg'
import type { HeldOutFaces, ReferenceFaces } from './reference-faces'

/** A measurement: the fields of the studio's quality point (all but its step), and the embedding cost. */
export type SampleQuality = Omit<QualityPoint, 'step'> & {
  /** Embedding cost per face on one core. */
  msPerFace: number
}

export interface SampleQualityInputs {
  model: VaeModel
  data: DatasetPixels
  embedder: FaceEmbedder
  reference: ReferenceFaces
  heldOut: HeldOutFaces
  samples: number
  seed: number
  temperature: number
  /** KID's random subsets (default 100): its one long stretch of arithmetic, so fewer while training runs. */
  kidSubsets?: number
  /** Throws when the measurement was abandoned; called between its stages. */
  check?: () => void
}

export async function measureSampleQuality(inputs: SampleQualityInputs): Promise<SampleQuality> {
  const { model, data, embedder, reference, heldOut, seed, temperature } = inputs
  const check = inputs.check ?? (() => undefined)
  const t0 = performance.now()
  const before = embedder.timing
  const codes = sampleCodes(model.config.latentDim, inputs.samples, temperature, seed)
  const sampleFaces = await embedder.embed(await decodeInSlices(model, codes, check))
  check()
  const reconstructed = await embedder.embed(await decodeInSlices(model, encodeRows(model, data, heldOut.rows).mu, check))
  check()
  await yieldToEvents()
  const distance = distanceToReference(sampleFaces, reference, seed, inputs.kidSubsets)
  await yieldToEvents()
  check()
  const after = embedder.timing
  return {
    ...distance,
    identity: identitySimilarity(heldOut.embeddings, reconstructed).mean,
    heldOut: heldOut.rows.length,
    floor: { frechet: reference.floor.frechet, kid: reference.floor.kid },
    temperature,
    seconds: (performance.now() - t0) / 1000,
    msPerFace: (after.computeMs - before.computeMs) / Math.max(1, after.faces - before.faces)
  }
}

export interface SetDistance {
  frechet: number
  kid: number
  kidStd: number
  samples: number
  reference: number
}

/** Fréchet distance and KID of a set of embedded faces to the reference. */
export function distanceToReference(samples: Rows, reference: ReferenceFaces, seed = 0, kidSubsets?: number): SetDistance {
  const kid = kernelDistance(samples, reference.embeddings, { seed, subsets: kidSubsets })
  return {
    frechet: frechetDistance(reference.stats, samples),
    kid: kid.mean,
    kidStd: kid.std,
    samples: samples.length,
    reference: reference.embeddings.length
  }
}
