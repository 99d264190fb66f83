/**
 * Quality per minute: train on a folder of faces for a fixed wall-clock budget, then measure the
 * held-out reconstruction error from μ — the same measurement as the PyTorch quality peer
 * (`shared/bench/torch_quality.py`: 10% held out, BCE + KL, β = 1, batch 32, Adam 1e-3); ours
 * trains with its own defaults but for the peer's batch of 32.
 */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import {
  defaultDecoder,
  defaultRecon,
  defaultFaceImport,
  defaultModelConfig,
  defaultTrainConfig,
  type DecoderKind,
  type ModelConfig,
  type ReconKind,
  type TrainConfig
} from '../../shared/config'
import { suggestedBeta } from '../../shared/model-choices'
import { importFolder } from '../engine/dataset/import-folder'
import { openDataset } from '../engine/dataset/open-dataset'
import { encodeRows, decodeCodes } from '../engine/inference/inference'
import { VaeModel } from '../engine/model/vae-model'
import { splitIndices } from '../engine/train/data-split'
import { Trainer } from '../engine/train/trainer'
import type { FaceEmbedder } from '../engine/quality/face-embedder'
import { ourSampleFigures, realFaces, type RealFaces, type SampleFigures } from './sample-quality-bench'

export interface QualityFigures {
  seconds: number
  steps: number
  /** Training images a second over the budget. */
  imgPerSec: number
  epochs: number
  heldOut: number
  mse: number
  psnr: number
  kl: number
  /** Face-sample metric of samples drawn as the studio draws them (with `sampleMetrics`), else null. */
  samples: SampleFigures | null
}

export interface QualityBenchOptions {
  /** Training threads (worker threads, wasm); absent: the engine thread, one core like the peer. */
  workers?: number
  /** The decoder trained (default: what new projects get). */
  decoder?: DecoderKind
  /** The encoder's first-block filters (default: what new projects get). */
  encoderFilters?: number
  /** The reconstruction loss (default: what new projects get) and β (default: that loss's own). */
  recon?: ReconKind
  beta?: number
  /** The sharpen term's weight (default 0: off), from `sharpenAfter` (default: the config's). */
  sharpen?: number
  sharpenAfter?: number
  /** Adam's learning rate (default: what new projects get). */
  learningRate?: number
  /** Also measure the face-sample metric; the embedder and real faces are kept for the peer's samples. */
  sampleMetrics?: { embedder: FaceEmbedder; keep: (real: RealFaces) => void }
}

export async function benchQuality(folder: string, seconds: number, options: QualityBenchOptions = {}): Promise<QualityFigures> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'vae-bench-quality-'))
  try {
    await importFolder(folder, dir, {
      size: 64,
      fit: 'crop',
      channels: 1,
      maxPixels: 100_000_000,
      faces: { ...defaultFaceImport, find: false }
    })
    const data = await openDataset(dir)
    const recon = options.recon ?? defaultRecon
    const model: ModelConfig = {
      ...defaultModelConfig,
      imageSize: 64,
      channels: 1,
      latentDim: 32,
      recon,
      decoder: options.decoder ?? defaultDecoder,
      encoderFilters: options.encoderFilters ?? defaultModelConfig.encoderFilters
    }
    const train: TrainConfig = {
      ...defaultTrainConfig,
      length: { unit: 'epochs', amount: 100_000 },
      batchSize: 32,
      learningRate: options.learningRate ?? defaultTrainConfig.learningRate,
      beta: options.beta ?? suggestedBeta[recon],
      valFraction: 0.1,
      checkpointEverySteps: 1_000_000,
      sharpen: options.sharpen ?? 0,
      sharpenAfter: options.sharpenAfter ?? defaultTrainConfig.sharpenAfter
    }
    const vae = new VaeModel(model, train.seed)
    let steps = 0
    let epochs = 0
    const trainer = new Trainer({
      model: vae,
      config: train,
      data,
      workers: options.workers,
      // Like the peer, nothing is written during the budget.
      store: { saveCheckpoint: async () => undefined, appendHistory: async () => undefined },
      events: { progress: (p) => (steps = p.step), epoch: (e) => (epochs = e.epoch), state: () => undefined, notice: () => undefined }
    })
    const timer = setTimeout(() => trainer.stop(), seconds * 1000)
    await trainer.run()
    clearTimeout(timer)
    trainer.dispose()
    const split = splitIndices(data.count, train.valFraction, train.seed)
    const { val } = split
    const { mu, logVar } = encodeRows(vae, data, val)
    const reconstructions = decodeCodes(vae, mu)
    const pixels = 64 * 64
    let squared = 0
    reconstructions.forEach((img, i) => {
      const offset = val[i] * pixels
      for (let p = 0; p < pixels; p++) squared += ((img.pixels[p] - data.images[offset + p]) / 255) ** 2
    })
    const mse = squared / (val.length * pixels)
    const kl =
      mu.reduce((sum, m, i) => sum + m.reduce((s, v, d) => s - 0.5 * (1 + logVar[i][d] - v * v - Math.exp(logVar[i][d])), 0), 0) /
      val.length
    let samples: SampleFigures | null = null
    const metric = options.sampleMetrics
    try {
      if (metric) {
        const real = await realFaces(metric.embedder, data)
        metric.keep(real)
        samples = await ourSampleFigures(vae, data, split, real.reference, metric.embedder)
      }
    } finally {
      vae.dispose()
    }
    return {
      seconds,
      steps,
      imgPerSec: (steps * train.batchSize) / seconds,
      epochs,
      heldOut: val.length,
      mse,
      psnr: 10 * Math.log10(1 / mse),
      kl,
      samples
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}
