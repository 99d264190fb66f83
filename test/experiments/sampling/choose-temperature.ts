/**
 * Sampling temperature chosen by the face metric rather than by eye: decode the same seeds at each
 * candidate temperature and keep the one whose samples sit closest to the real faces (lowest
 * Fréchet distance). Lower temperatures look cleaner one by one but lose variety, which the
 * metric's covariance term sees; the best trade-off differs from model to model.
 */
import { decodeCodes } from '../../../src/main/engine/inference/inference'
import type { VaeModel } from '../../../src/main/engine/model/vae-model'
import type { ReferenceFaces } from '../../../src/main/engine/quality/reference-faces'
import { distanceToReference } from '../../../src/main/engine/quality/sample-quality'
import type { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import type { LatentSampler } from './latent-samplers'

export interface TemperatureChoice {
  temperature: number
  scores: { temperature: number; frechet: number; kid: number }[]
}

export async function chooseTemperature(
  model: VaeModel,
  sampler: LatentSampler,
  reference: ReferenceFaces,
  embedder: FaceEmbedder,
  options: { candidates?: number[]; samples?: number; seed?: number } = {}
): Promise<TemperatureChoice> {
  const seed = options.seed ?? 0
  const scores: TemperatureChoice['scores'] = []
  for (const temperature of options.candidates ?? [0.7, 0.8, 0.9, 1]) {
    const faces = await embedder.embed(decodeCodes(model, sampler.sample(options.samples ?? 256, seed, temperature)))
    const { frechet, kid } = distanceToReference(faces, reference, seed)
    scores.push({ temperature, frechet, kid })
  }
  const best = scores.reduce((a, b) => (b.frechet < a.frechet ? b : a))
  return { temperature: best.temperature, scores }
}
