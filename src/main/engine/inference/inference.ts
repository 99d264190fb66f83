/**
 * Inference on a trained model: encode dataset rows, decode codes, sample, reconstruct. Batched so
 * a 20,000-image encode never builds one giant tensor.
 */
import * as tf from '../tf'
import type { Encoding } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { tensorToRawImages } from '../image/raw-images'
import type { VaeModel } from '../model/vae-model'
import { Rng } from '../random/rng'
import { buildBatch, type DatasetPixels } from '../train/batch-builder'

const batchSize = 128

export function encodeRows(model: VaeModel, data: DatasetPixels, indices: readonly number[]): Encoding {
  const { imageSize: size, channels } = model.config
  const mu: number[][] = []
  const logVar: number[][] = []
  for (let i = 0; i < indices.length; i += batchSize) {
    const chunk = indices.slice(i, i + batchSize)
    tf.scoped(() => {
      const encoded = model.encode(tf.tensor4d(buildBatch(data, chunk), [chunk.length, size, size, channels]))
      mu.push(...(encoded.mu.arraySync() as number[][]))
      logVar.push(...(encoded.logVar.arraySync() as number[][]))
    })
  }
  return { mu, logVar }
}

/** Refuses codes of the wrong length with a message the user can act on. */
export function checkCodes(model: VaeModel, z: number[][]): void {
  const { latentDim } = model.config
  const wrong = z.find((row) => row.length !== latentDim)
  if (wrong) throw new Error(`a code has ${wrong.length} values but this model's latent space has ${latentDim} dimensions`)
}

export function decodeCodes(model: VaeModel, z: number[][]): RawImage[] {
  const { latentDim } = model.config
  checkCodes(model, z)
  const images: RawImage[] = []
  for (let i = 0; i < z.length; i += batchSize) {
    const chunk = z.slice(i, i + batchSize)
    tf.scoped(() => images.push(...tensorToRawImages(model.decodeImages(tf.tensor2d(chunk, [chunk.length, latentDim])))))
  }
  return images
}

/** Codes drawn from N(0, temperature²·I) with a seed, so a grid can be reproduced. */
export function sampleCodes(latentDim: number, count: number, temperature: number, seed: number): number[][] {
  const rng = new Rng(seed)
  return Array.from({ length: count }, () => Array.from({ length: latentDim }, () => rng.normal() * temperature))
}

/** Decodes each row's mean code: the model's best guess of the image, without sampling noise. */
export function reconstructRows(model: VaeModel, data: DatasetPixels, indices: readonly number[]): RawImage[] {
  return decodeCodes(model, encodeRows(model, data, indices).mu)
}
