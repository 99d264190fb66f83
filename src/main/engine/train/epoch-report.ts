/**
 * What a run reports at the end of each epoch: the mean training terms, the loss on the fixed
 * validation split with KL per latent dimension (active units, posterior collapse), and pictures.
 * Validation noise, preview images and sample noise are all fixed by the seed, so epochs compare
 * with each other by number and by eye.
 */
import * as tf from '../tf'
import type { TrainConfig } from '../../../shared/config'
import type { TrainEpoch } from '../../../shared/events'
import type { RawImage } from '../../../shared/images'
import { tensorToRawImages } from '../image/raw-images'
import type { VaeModel } from '../model/vae-model'
import type { HistoryEpochRow } from '../project/history-log'
import { Rng } from '../random/rng'
import { buildBatch, type DatasetPixels } from './batch-builder'
import type { DataSplit } from './data-split'
import type { HeldOutTerms } from './step-runner'

const previewPairs = 8
const sampleGrid = 16

interface LossTerms {
  loss: number
  recon: number
  kl: number
}

/** Running means of the training terms over the steps of one epoch. */
export class EpochMeans {
  private sums = { loss: 0, recon: 0, kl: 0, steps: 0 }

  add(step: LossTerms): void {
    this.sums = {
      loss: this.sums.loss + step.loss,
      recon: this.sums.recon + step.recon,
      kl: this.sums.kl + step.kl,
      steps: this.sums.steps + 1
    }
  }

  /** The means so far; counting starts again for the next epoch. */
  take(): LossTerms {
    const sums = this.sums
    this.sums = { loss: 0, recon: 0, kl: 0, steps: 0 }
    const mean = (key: keyof LossTerms): number => sums[key] / Math.max(1, sums.steps)
    return { loss: mean('loss'), recon: mean('recon'), kl: mean('kl') }
  }
}

export interface EpochReportInput {
  model: VaeModel
  data: DatasetPixels
  split: DataSplit
  config: TrainConfig
  /** Zero-based epoch just finished. */
  epoch: number
  step: number
  train: LossTerms
  /** The held-out terms over `validationBatches` (null without a validation split). */
  val: HeldOutTerms | null
}

/** The fixed validation batches: rows in split order, noise from the seed, the same every epoch. */
export function validationBatches(split: DataSplit, config: TrainConfig, latentDim: number): Array<{ rows: number[]; eps: Float32Array }> {
  const evalRng = new Rng(config.seed ^ 0x5eed)
  const batches = []
  for (let i = 0; i < split.val.length; i += config.batchSize) {
    const rows = split.val.slice(i, i + config.batchSize)
    batches.push({ rows, eps: new Float32Array(rows.length * latentDim).map(() => evalRng.normal()) })
  }
  return batches
}

/** The epoch's history row and the event for the UI (the row plus preview pictures). */
export function epochReport(input: EpochReportInput): { row: HistoryEpochRow; event: TrainEpoch } {
  const { model, data, split, config, val } = input
  const klPerDim = val?.klPerDim ?? []
  const row: HistoryEpochRow = {
    kind: 'epoch',
    epoch: input.epoch + 1,
    step: input.step,
    trainLoss: input.train.loss,
    trainRecon: input.train.recon,
    trainKl: input.train.kl,
    valLoss: val?.loss ?? NaN,
    valRecon: val?.recon ?? NaN,
    valKl: val?.kl ?? NaN,
    klPerDim,
    activeUnits: klPerDim.filter((v) => v > 0.01).length,
    t: Date.now()
  }
  const { kind: _kind, t: _t, ...summary } = row
  return { row, event: { ...summary, reconstructions: reconstructionPairs(model, data, split), samples: fixedSamples(model, config.seed) } }
}

/** Original, reconstruction pairs of the first validation images (or training ones without a split). */
function reconstructionPairs(model: VaeModel, data: DatasetPixels, split: DataSplit): RawImage[] {
  const pool = split.val.length > 0 ? split.val : split.train
  const indices = pool.slice(0, previewPairs)
  const { imageSize: size, channels } = model.config
  return tf.scoped(() => {
    const x = tf.tensor4d(buildBatch(data, indices), [indices.length, size, size, channels])
    const recon = model.decodeImages(model.encode(x).mu)
    const originals = tensorToRawImages(x)
    const reconstructions = tensorToRawImages(recon)
    return originals.flatMap((o, i) => [o, reconstructions[i]])
  })
}

function fixedSamples(model: VaeModel, seed: number): RawImage[] {
  const rng = new Rng(seed ^ 0x5a3b1e)
  const z = new Float32Array(sampleGrid * model.config.latentDim).map(() => rng.normal())
  return tf.scoped(() => tensorToRawImages(model.decodeImages(tf.tensor2d(z, [sampleGrid, model.config.latentDim]))))
}
