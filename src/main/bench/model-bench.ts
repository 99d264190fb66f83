/** Training throughput and decode latency of the shipped default 64-px model on the active backend. */
import * as tf from '../engine/tf'
import { defaultModelConfig, type ModelConfig } from '../../shared/config'
import { decodeCodes, sampleCodes } from '../engine/inference/inference'
import { ParallelDecoder } from '../engine/inference/parallel-decoder'
import { VaeModel } from '../engine/model/vae-model'
import { Rng } from '../engine/random/rng'
import { trainStep } from '../engine/train/train-step'

export interface ModelFigures {
  trainImgPerSec: number
  trainStepMs: number
  decode1Ms: number
  /** A 64-image grid as the studio decodes one (to bytes, on both cores where that helps). */
  decode64Ms: number
  /** The same grid on the engine's thread alone. */
  decode64OneCoreMs: number
  tensorsLeaked: number
}

/** The reference model of the issue: 64×64×3 input, z = 32, batch 64, the default architecture. */
export const referenceModel: ModelConfig = { ...defaultModelConfig, imageSize: 64, channels: 3, latentDim: 32 }

function time(fn: () => void, repeats: number): number {
  const start = performance.now()
  for (let i = 0; i < repeats; i++) fn()
  return (performance.now() - start) / repeats
}

async function timeAsync(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < repeats; i++) await fn()
  return (performance.now() - start) / repeats
}

export async function benchModel(options: { steps: number; batchSize?: number }): Promise<ModelFigures> {
  const batchSize = options.batchSize ?? 64
  const model = new VaeModel(referenceModel, 1)
  const optimizer = tf.train.adam(1e-3)
  const rng = new Rng(3)
  const pixels = 64 * 64 * 3
  const batch = new Float32Array(batchSize * pixels).map(() => rng.next())
  const eps = new Float32Array(batchSize * 32).map(() => rng.normal())
  const step = () => trainStep({ model, optimizer, batch, eps, batchSize, beta: 1, recon: referenceModel.recon })
  for (let i = 0; i < 3; i++) step()
  const before = tf.memory().numTensors
  const trainStepMs = time(step, options.steps)
  const [code] = sampleCodes(32, 1, 1, 1)
  const grid = sampleCodes(32, 64, 1, 2)
  const decodeOne = () => decodeCodes(model, [code])
  time(decodeOne, 10)
  const decode1Ms = time(decodeOne, 100)
  const gridDecoder = new ParallelDecoder()
  await gridDecoder.warmUp()
  await timeAsync(() => gridDecoder.decode(model, grid), 2)
  const decode64Ms = await timeAsync(() => gridDecoder.decode(model, grid), 10)
  const decode64OneCoreMs = time(() => decodeCodes(model, grid), 10)
  await gridDecoder.dispose()
  const tensorsLeaked = tf.memory().numTensors - before
  optimizer.dispose()
  model.dispose()
  return { trainImgPerSec: (batchSize * 1000) / trainStepMs, trainStepMs, decode1Ms, decode64Ms, decode64OneCoreMs, tensorsLeaked }
}
