/** Using the model: encoding dataset images, decoding and sampling codes, the latent map. */
import { cpus } from 'node:os'
import type { Handlers } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { imageLibrary } from '../image/image-libraries'
import { encodeRows, reconstructRows, sampleCodes } from '../inference/inference'
import { pca } from '../latent/pca'
import * as tf from '../tf'
import { checkIndices, type EngineSession } from './engine-session'

type InferenceMethod = 'engineInfo' | 'modelEncode' | 'modelDecode' | 'modelSample' | 'modelReconstruct' | 'latentMap'

export function inferenceHandlers(session: EngineSession): Handlers<InferenceMethod> {
  return {
    async engineInfo() {
      return {
        backend: session.backend.name,
        availableBackends: session.backend.available,
        tfjsVersion: tf.version_core,
        cores: cpus().length,
        platform: `${process.platform}-${process.arch}, Node ${process.versions.node}`,
        imageLibrary: imageLibrary()
      }
    },
    async modelEncode(req) {
      const [model, data] = await Promise.all([session.requireModel(), session.requireDataset()])
      checkIndices(req.indices, data.count)
      return encodeRows(model.model, data, req.indices)
    },
    modelDecode: async (req) => session.gridDecoder.decode((await session.requireModel()).model, req.z),
    async modelSample(req) {
      const { model } = await session.requireModel()
      const z = sampleCodes(model.config.latentDim, req.count, req.temperature, req.seed)
      return { z, images: await session.gridDecoder.decode(model, z) }
    },
    async modelReconstruct(req) {
      const [model, data] = await Promise.all([session.requireModel(), session.requireDataset()])
      checkIndices(req.indices, data.count)
      return reconstructRows(model.model, data, req.indices)
    },
    async latentMap(req) {
      const [model, data] = await Promise.all([session.requireModel(), session.requireDataset()])
      if (session.latentCache?.step !== model.step) {
        const all = Array.from({ length: data.count }, (_, i) => i)
        session.latentCache = { step: model.step, mu: encodeRows(model.model, data, all).mu }
      }
      const mu = session.latentCache.mu
      const latentDim = model.model.config.latentDim
      if (req.axes === 'pca') {
        const result = pca(mu)
        return { points: result.projected.map(([x, y]) => [x, y]), axes: [result.components[0], result.components[1]], origin: result.mean }
      }
      const [a, b] = req.dims ?? [0, 1]
      if (a >= latentDim || b >= latentDim) throw new StudioError('invalid-request', `the latent space has dimensions 0–${latentDim - 1}`)
      const unit = (d: number) => Array.from({ length: latentDim }, (_, i) => (i === d ? 1 : 0))
      return { points: mu.map((m) => [m[a], m[b]]), axes: [unit(a), unit(b)], origin: new Array(latentDim).fill(0) }
    }
  }
}
