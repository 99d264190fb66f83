/**
 * Every figure of one trained model, as the experiment's README reports them: spectral grid and
 * sharpness of 256 prior samples (seed 0) against the real faces, face Fréchet distance and KID
 * with their floor (the studio's measureSampleQuality, the quality bench's reference), identity of
 * held-out reconstructions, held-out PSNR and KL from μ. Also writes the samples as an 8×8 grid.
 */
import * as path from 'node:path'
import sharp from 'sharp'
import type { RawImage } from '../../../src/shared/images'
import { decodeCodes, encodeRows } from '../../../src/main/engine/inference/inference'
import type { VaeModel } from '../../../src/main/engine/model/vae-model'
import type { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import { sampleRows } from '../../../src/main/engine/quality/faces-shown'
import {
  datasetImages,
  heldOutFaces,
  heldOutRows,
  referenceFaces,
  type ReferenceFaces
} from '../../../src/main/engine/quality/reference-faces'
import { measureSampleQuality } from '../../../src/main/engine/quality/sample-quality'
import { priorCodeSampler } from '../../../src/main/engine/sampling/code-sampler'
import { sampleCodes } from '../../../src/main/engine/inference/inference'
import { setSpectrum, spectralFigures, type SetSpectrum } from '../../../src/main/engine/quality/spectrum'
import type { DatasetPixels } from '../../../src/main/engine/train/batch-builder'

export const sampleCount = 256

export interface ModelFigures {
  /** Spectral figures with the periodic component of each image (the studio's default edges). */
  gridPeriodic: number
  sharpnessPeriodic: number
  /** The same with the plain FFT (the first definition; border power dominates it). */
  gridWrap: number
  sharpnessWrap: number
  /** Mean |step| between neighbouring pixels across the 16-px block borders ÷ elsewhere (real faces: 1.00). */
  seamStep: number
  frechet: number
  kid: number
  floorFrechet: number
  floorKid: number
  identity: number
  psnr: number
  kl: number
}

export interface MeasureContext {
  data: DatasetPixels & { count: number }
  heldOut: number[]
  embedder: FaceEmbedder
  reference: ReferenceFaces
  realSpectrum: { periodic: SetSpectrum; wrap: SetSpectrum }
}

/** The real faces every model of a run is measured against: 512 rows' embeddings and spectra, read once. */
export async function measureContext(data: MeasureContext['data'], heldOut: number[], embedder: FaceEmbedder): Promise<MeasureContext> {
  const rows = sampleRows(data.count, 512, 0)
  const images = datasetImages(data, rows)
  return {
    data,
    heldOut,
    embedder,
    reference: await referenceFaces(embedder, data, rows),
    realSpectrum: { periodic: setSpectrum(images, 'periodic'), wrap: setSpectrum(images, 'wrap') }
  }
}

export async function measureModel(model: VaeModel, ctx: MeasureContext, pngPrefix: string): Promise<ModelFigures> {
  const samples = decodeCodes(model, sampleCodes(model.config.latentDim, sampleCount, 1, 0))
  const periodic = spectralFigures(samples, ctx.realSpectrum.periodic)
  const wrap = spectralFigures(samples, ctx.realSpectrum.wrap)
  const heldOut = await heldOutFaces(ctx.embedder, ctx.data, heldOutRows(ctx.data.count, ctx.heldOut))
  const quality = await measureSampleQuality({
    model,
    data: ctx.data,
    embedder: ctx.embedder,
    reference: ctx.reference,
    heldOut,
    // The prior, as every table of this experiment was measured (the fitted codes came later: ../sampling).
    sampler: priorCodeSampler(model.config.latentDim),
    samples: sampleCount,
    seed: 0,
    temperature: 1
  })
  const { psnr, kl, reconstructions } = heldOutFigures(model, ctx)
  await writeGrid(samples.slice(0, 64), 8, `${pngPrefix}-samples.png`)
  const originals = ctx.heldOut.slice(0, 16).map((row) => rowImage(ctx.data, row))
  await writeGrid([...originals, ...reconstructions.slice(0, 16)], 16, `${pngPrefix}-recon.png`)
  return {
    gridPeriodic: periodic.grid,
    sharpnessPeriodic: periodic.sharpness,
    gridWrap: wrap.grid,
    sharpnessWrap: wrap.sharpness,
    seamStep: seamStep(samples),
    frechet: quality.frechet,
    kid: quality.kid,
    floorFrechet: quality.floor.frechet,
    floorKid: quality.floor.kid,
    identity: quality.identity,
    psnr,
    kl
  }
}

/** Reconstructions from μ: per-pixel MSE as PSNR, and the KL of q(z|x) — as bench/quality-bench.ts. */
function heldOutFigures(model: VaeModel, ctx: MeasureContext): { psnr: number; kl: number; reconstructions: RawImage[] } {
  const { data, heldOut } = ctx
  const { mu, logVar } = encodeRows(model, data, heldOut)
  const reconstructions = decodeCodes(model, mu)
  const pixels = data.size * data.size * data.channels
  let squared = 0
  reconstructions.forEach((img, i) => {
    const offset = heldOut[i] * pixels
    for (let p = 0; p < pixels; p++) squared += ((img.pixels[p] - data.images[offset + p]) / 255) ** 2
  })
  const mse = squared / (heldOut.length * pixels)
  const kl =
    mu.reduce((sum, m, i) => sum + m.reduce((s, v, d) => s - 0.5 * (1 + logVar[i][d] - v * v - Math.exp(logVar[i][d])), 0), 0) /
    heldOut.length
  return { psnr: 10 * Math.log10(1 / mse), kl, reconstructions }
}

/**
 * Seams as a picture shows them: the mean absolute difference of neighbouring pixels across the
 * borders between 16-px blocks (15|16, 31|32, 47|48), over the mean across other interior borders,
 * rows and columns alike. Above 1: edges at the block borders; below 1: smoothed block borders.
 */
export function seamStep(images: readonly RawImage[]): number {
  const size = images[0].width
  const steps = new Float64Array(size)
  for (const { pixels } of images) {
    for (let a = 1; a < size - 1; a++) {
      for (let b = 0; b < size - 1; b++) {
        steps[b] += Math.abs(pixels[a * size + b + 1] - pixels[a * size + b]) + Math.abs(pixels[(b + 1) * size + a] - pixels[b * size + a])
      }
    }
  }
  const seams = [15, 31, 47].filter((b) => b < size - 4)
  const others = Array.from({ length: size - 8 }, (_, i) => i + 4).filter((b) => !seams.includes(b))
  const mean = (bs: number[]): number => bs.reduce((s, b) => s + steps[b], 0) / bs.length
  return mean(seams) / mean(others)
}

function rowImage(data: DatasetPixels, row: number): RawImage {
  const pixels = data.size * data.size * data.channels
  return { width: data.size, height: data.size, channels: data.channels, pixels: data.images.slice(row * pixels, (row + 1) * pixels) }
}

/** Images of one size in rows of `columns`, as a PNG (grey, or RGB when the images are). */
export async function writeGrid(images: readonly RawImage[], columns: number, file: string): Promise<void> {
  const { width, height, channels } = images[0]
  const rows = Math.ceil(images.length / columns)
  const out = new Uint8Array(rows * height * columns * width * channels)
  images.forEach((img, k) => {
    const [r, c] = [Math.floor(k / columns), k % columns]
    for (let y = 0; y < height; y++) {
      const from = y * width * channels
      out.set(img.pixels.subarray(from, from + width * channels), ((r * height + y) * columns * width + c * width) * channels)
    }
  })
  await sharp(out, { raw: { width: columns * width, height: rows * height, channels } })
    .png()
    .toFile(path.resolve(file))
}
