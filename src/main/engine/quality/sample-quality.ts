/**
 * The sample-quality measurement, the one the studio (`model:evaluate`, the measurements while
 * training), `vae-studio evaluate` and the bench all take, so their figures cannot drift apart:
 * samples of the model (codes from `sampler`, a fixed seed and temperature) against the real reference faces —
 * face Fréchet distance and KID in face-embedding space, each beside its floor — the identity
 * kept by the reconstructions of held-out faces, and the samples' sharpness and grid figures
 * (spectrum.ts), which show blur and seams the embedding barely sees.
 *
 * Decoding goes in slices with turns of the event loop between them, so the engine keeps
 * answering requests while it measures.
 */
import type { QualityPoint } from '../../../shared/results'
import { decodeInSlices, yieldToEvents } from '../inference/decode-in-slices'
import { encodeRows } from '../inference/inference'
import type { VaeModel } from '../model/vae-model'
import type { CodeSampler } from '../sampling/code-sampler'
import type { DatasetPixels } from '../train/batch-builder'
import type { FaceEmbedder } from './face-embedder'
import { frechetDistance } from './frechet-distance'
import { identitySimilarity } from './identity-similarity'
import { kernelDistance } from './kernel-distance'
import type { Rows } from './linalg'
import { datasetImages, referenceRows, type HeldOutFaces, type ReferenceFaces } from './reference-faces'
import { setSpectrum, spectralFigures, type SetSpectrum } from './spectrum'

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
  /** Where the samples' codes come from: the studio's (`fitCodeSampler`), or the prior. */
  sampler: CodeSampler
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
  const codes = inputs.sampler.sample(inputs.samples, temperature, seed)
  const sampleImages = await decodeInSlices(model, codes, check)
  const sampleFaces = await embedder.embed(sampleImages)
  check()
  const spectral = spectralFigures(sampleImages, realSpectrum(data))
  await yieldToEvents()
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
    sharpness: spectral.sharpness,
    grid: spectral.grid,
    heldOut: heldOut.rows.length,
    floor: { frechet: reference.floor.frechet, kid: reference.floor.kid },
    temperature,
    sampling: inputs.sampler.from,
    seconds: (performance.now() - t0) / 1000,
    msPerFace: (after.computeMs - before.computeMs) / Math.max(1, after.faces - before.faces)
  }
}

const realSpectra = new WeakMap<DatasetPixels, SetSpectrum>()

/** The spectrum of the reference rows' images, once per dataset (~0.3 s for 512 faces). */
export function realSpectrum(data: DatasetPixels): SetSpectrum {
  let spectrum = realSpectra.get(data)
  if (!spectrum) {
    const count = data.images.length / (data.size * data.size * data.channels)
    spectrum = setSpectrum(datasetImages(data, referenceRows(count)))
    realSpectra.set(data, spectrum)
  }
  return spectrum
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
