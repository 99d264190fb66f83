/** Training throughput and decode latency of the shipped default 64-px model on the active backend. */
import { availableParallelism } from 'node:os'
import * as tf from '../engine/tf'
import { defaultModelConfig, type ModelConfig } from '../../shared/config'
import { decodeCodes, sampleCodes } from '../engine/inference/inference'
import { ParallelDecoder } from '../engine/inference/parallel-decoder'
import { VaeModel } from '../engine/model/vae-model'
import { Rng } from '../engine/random/rng'
import { ParallelTrainer } from '../engine/train/parallel/parallel-trainer'
import { trainStep } from '../engine/train/train-step'
import { initialGaussianVariance } from '../engine/model/losses'

export interface ModelFigures {
  /** Training on worker threads, one per core (what the studio does on wasm). */
  trainImgPerSec: number
  trainImgPerSecOneWorker: number
  trainWorkers: number
  /** Training on the calling thread, as before worker threads. */
  trainImgPerSecEngineThread: number
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
  const step = () => trainStep({ model, optimizer, batch, eps, batchSize, beta: 1, noiseVariance: initialGaussianVariance })
  const [code] = sampleCodes(32, 1, 1, 1)
  const grid = sampleCodes(32, 64, 1, 2)
  const decodeOne = () => decodeCodes(model, [code])
  for (let i = 0; i < 3; i++) step()
  // One decode first: the fused path keeps each upsample-conv layer's derived kernel (one per
  // layer, replaced when the weights change, freed with the model), which is a cache, not a leak.
  decodeOne()
  const before = tf.memory().numTensors
  const trainStepMs = time(step, options.steps)
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
  const workers = availableParallelism()
  const trainImgPerSecOneWorker = await workersImgPerSec(model, 1, batchSize, options.steps)
  const trainImgPerSec = workers > 1 ? await workersImgPerSec(model, workers, batchSize, options.steps) : trainImgPerSecOneWorker
  model.dispose()
  return {
    trainImgPerSec,
    trainImgPerSecOneWorker,
    trainWorkers: workers,
    trainImgPerSecEngineThread: (batchSize * 1000) / trainStepMs,
    trainStepMs,
    decode1Ms,
    decode64Ms,
    decode64OneCoreMs,
    tensorsLeaked
  }
}

/** Images per second of `steps` steps on `workers` training threads (after two warm-up steps). */
async function workersImgPerSec(model: VaeModel, workers: number, batchSize: number, steps: number): Promise<number> {
  const rng = new Rng(5)
  const count = 4 * batchSize
  const data = { images: new Uint8Array(count * 64 * 64 * 3).map(() => Math.floor(rng.next() * 256)), size: 64, channels: 3 as const }
  const runner = await ParallelTrainer.start({
    model: referenceModel,
    data,
    learningRate: 1e-3,
    initial: { tensors: model.weightArrays() },
    workers,
    shards: workers
  })
  try {
    const request = () => {
      const rows = Array.from({ length: batchSize }, () => Math.floor(rng.next() * count))
      return {
        rows,
        eps: new Float32Array(batchSize * referenceModel.latentDim).map(() => rng.normal()),
        beta: 1,
        noiseVariance: initialGaussianVariance
      }
    }
    for (let i = 0; i < 2; i++) await runner.step(request())
    const ms = await timeAsync(() => runner.step(request()), steps)
    return (batchSize * 1000) / ms
  } finally {
    await runner.dispose()
  }
}
