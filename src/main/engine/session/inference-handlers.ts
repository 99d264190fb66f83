/** The engine and its model: what runs where, encoding dataset images, decoding and sampling codes. */
import { cpus } from 'node:os'
import type { EngineMethodsOf, Handlers } from '../../../shared/contract'
import { imageLibrary } from '../image/image-libraries'
import { encodeRows, reconstructRows } from '../inference/inference'
import * as tf from '../tf'
import { checkRows } from '../dataset/image-numbers'
import { trainingWorkers } from './training-workers'
import type { EngineSession } from './engine-session'

export function inferenceHandlers(session: EngineSession): Handlers<EngineMethodsOf<'engine' | 'model'>> {
  return {
    async engineInfo() {
      return {
        backend: session.backend.name,
        availableBackends: session.backend.available,
        tfjsVersion: tf.version_core,
        cores: cpus().length,
        platform: `${process.platform}-${process.arch}, Node ${process.versions.node}`,
        workerThreads: trainingWorkers(session.backend.name, 0) !== undefined,
        imageLibrary: imageLibrary()
      }
    },
    async modelEncode(req) {
      const [model, data] = await Promise.all([session.requireModel(), session.requireDataset()])
      checkRows(req.indices, data.count)
      return encodeRows(model.model, data, req.indices)
    },
    modelDecode: async (req) => session.gridDecoder.decode((await session.requireModel()).model, req.z),
    async modelSample(req) {
      const current = await session.requireModel()
      const sampler = await session.codeSampler(current, req.sampling)
      const z = sampler.sample(req.count, req.temperature, req.seed)
      return { z, images: await session.gridDecoder.decode(current.model, z) }
    },
    async modelReconstruct(req) {
      const [model, data] = await Promise.all([session.requireModel(), session.requireDataset()])
      checkRows(req.indices, data.count)
      return reconstructRows(model.model, data, req.indices)
    }
  }
}
