/**
 * The face-sample metric in the quality bench: our samples (codes as the studio draws them) and the PyTorch peer's (PNGs
 * written by `shared/bench/torch_quality_samples.py`), both against the same real faces (the whole
 * folder, ≤ 512 chosen with a fixed seed), with the floor (two halves of those faces). Ours is the
 * studio's own measurement (`measureSampleQuality`, held-out faces chosen as the studio does).
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import type { RawImage } from '../../shared/images'
import type { OpenedDataset } from '../engine/dataset/open-dataset'
import type { VaeModel } from '../engine/model/vae-model'
import type { FaceEmbedder } from '../engine/quality/face-embedder'
import { heldOutFaces, heldOutRows, referenceFaces, referenceRows, type ReferenceFaces } from '../engine/quality/reference-faces'
import { distanceToReference, measureSampleQuality, realSpectrum } from '../engine/quality/sample-quality'
import { spectralFigures, type SetSpectrum } from '../engine/quality/spectrum'
import { decodeCodes } from '../engine/inference/inference'
import { fitCodeSampler, priorCodeSampler } from '../engine/sampling/code-sampler'
import type { DataSplit } from '../engine/train/data-split'

export interface SampleFigures {
  frechet: number
  /** Ours: the same model's FD with codes from the prior N(0, I), to show what the fitted codes buy; null for the peer. */
  priorFrechet: number | null
  kid: number
  kidStd: number
  /** Held-out reconstructions' identity similarity; null for the peer (only its samples are measured). */
  identity: number | null
  /** Fine detail and seam power of the samples, each ÷ the real faces' (spectrum.ts). */
  sharpness: number
  grid: number
  samples: number
  reference: number
  floor: { frechet: number; kid: number }
  seconds: number
}

export const benchSamples = 256

/** The real faces both sides are measured against: their embeddings and their spectrum. */
export interface RealFaces {
  reference: ReferenceFaces
  spectrum: SetSpectrum
}

export async function realFaces(embedder: FaceEmbedder, data: OpenedDataset): Promise<RealFaces> {
  return { reference: await referenceFaces(embedder, data, referenceRows(data.count)), spectrum: realSpectrum(data) }
}

/** Our model's samples as the studio draws them (temperature 1, seed 0) and the identity of held-out faces (of the split's `val` rows). */
export async function ourSampleFigures(
  model: VaeModel,
  data: OpenedDataset,
  split: DataSplit,
  reference: ReferenceFaces,
  embedder: FaceEmbedder
): Promise<SampleFigures> {
  const heldOut = await heldOutFaces(embedder, data, heldOutRows(data.count, split.val))
  const sampler = fitCodeSampler(model, data, split.train)
  const r = await measureSampleQuality({
    model,
    data,
    embedder,
    reference,
    heldOut,
    sampler,
    samples: benchSamples,
    seed: 0,
    temperature: 1
  })
  const prior = priorCodeSampler(model.config.latentDim).sample(benchSamples, 1, 0)
  const priorFaces = await embedder.embed(decodeCodes(model, prior))
  return {
    frechet: r.frechet,
    priorFrechet: distanceToReference(priorFaces, reference).frechet,
    kid: r.kid,
    kidStd: r.kidStd,
    identity: r.identity,
    sharpness: r.sharpness!,
    grid: r.grid!,
    samples: r.samples,
    reference: r.reference,
    floor: { frechet: r.floor.frechet, kid: r.floor.kid },
    seconds: r.seconds
  }
}

/** The PNGs of a folder (grey, resized to `size` if needed) against the same reference. */
export async function folderSampleFigures(folder: string, size: number, real: RealFaces, embedder: FaceEmbedder): Promise<SampleFigures> {
  const { reference } = real
  const t0 = performance.now()
  const files = (await fs.readdir(folder)).filter((f) => f.endsWith('.png')).sort()
  const images: RawImage[] = await Promise.all(
    files.map(async (f) => {
      const data = await sharp(path.join(folder, f)).greyscale().resize(size, size).raw().toBuffer()
      return { width: size, height: size, channels: 1 as const, pixels: new Uint8Array(data) }
    })
  )
  const d = distanceToReference(await embedder.embed(images), reference)
  const spectral = spectralFigures(images, real.spectrum)
  return {
    ...d,
    priorFrechet: null,
    identity: null,
    sharpness: spectral.sharpness,
    grid: spectral.grid,
    floor: { frechet: reference.floor.frechet, kid: reference.floor.kid },
    seconds: (performance.now() - t0) / 1000
  }
}

export function formatSampleFigures(label: string, f: SampleFigures): string {
  const kid = (v: number): string => v.toExponential(2)
  return (
    `  ${label}  face Fréchet distance ${f.frechet.toFixed(3)} (floor ${f.floor.frechet.toFixed(3)}` +
    (f.priorFrechet === null ? '' : `; prior codes ${f.priorFrechet.toFixed(3)}`) +
    `), KID ${kid(f.kid)} (floor ${kid(f.floor.kid)})` +
    (f.identity === null ? '' : `, identity ${f.identity.toFixed(3)}`) +
    `, sharpness ${f.sharpness.toFixed(2)}, grid ${f.grid.toFixed(2)}` +
    ` — ${f.samples} samples vs ${f.reference} real faces`
  )
}
