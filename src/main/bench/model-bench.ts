/** Training throughput and decode latency of the shipped default 64-px model on the active backend. */
import * as tf from '../engine/tf'
import { defaultModelConfig, type ModelConfig } from '../../shared/config'
import { VaeModel } from '../engine/model/vae-model'
import { Rng } from '../engine/random/rng'
import { trainStep } from '../engine/train/train-step'

export interface ModelFigures {
  trainImgPerSec: number
  trainStepMs: number
  decode1Ms: number
  decode64Ms: number
  tensorsLeaked: number
}

/** The reference model of the issue: 64×64×3 input, z = 32, batch 64, the default architecture. */
export const referenceModel: ModelConfig = { ...defaultModelConfig, imageSize: 64, channels: 3, latentDim: 32 }

function time(fn: () => void, repeats: number): number {
  const start = performance.now()
  for (let i = 0; i < repeats; i++) fn()
  return (performance.now() - start) / repeats
}

export function benchModel(options: { steps: number; batchSize?: number }): ModelFigures {
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
  const z1 = tf.randomNormal([1, 32]) as tf.Tensor2D
  const z64 = tf.randomNormal([64, 32]) as tf.Tensor2D
  const decode = (z: tf.Tensor2D) => () => {
    const images = model.decodeImages(z)
    images.dataSync()
    images.dispose()
  }
  time(decode(z1), 10)
  const decode1Ms = time(decode(z1), 100)
  time(decode(z64), 2)
  const decode64Ms = time(decode(z64), 10)
  tf.dispose([z1, z64])
  const tensorsLeaked = tf.memory().numTensors - before
  optimizer.dispose()
  model.dispose()
  return { trainImgPerSec: (batchSize * 1000) / trainStepMs, trainStepMs, decode1Ms, decode64Ms, tensorsLeaked }
}
