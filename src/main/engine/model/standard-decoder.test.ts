import { describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { defaultModelConfig, type DecoderKind } from '../../../shared/config'
import { selectBackend } from '../backend/select-backend'
import { standardDecoder } from './standard-decoder'
import { VaeModel } from './vae-model'

const builtIn = new Set(['InputLayer', 'Dense', 'Reshape', 'Conv2DTranspose', 'LeakyReLU'])

async function saved(model: tf.layers.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined
  await model.save(
    tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }))
  )
  return artifacts!
}

describe('standardDecoder (the decoder in built-in layers, for export)', () => {
  it.each(['upsample-conv', 'transposed-3x3'] as DecoderKind[])(
    'decodes as the %s decoder does, with built-in layers only, and leaks nothing',
    async (decoder) => {
      await selectBackend('wasm')
      const model = new VaeModel({ ...defaultModelConfig, imageSize: 32, channels: 3, latentDim: 6, baseFilters: 8, decoder }, 3)
      const before = tf.memory().numTensors
      const standard = standardDecoder(model.decoder)
      const artifacts = await saved(standard)
      const classes = (artifacts.modelTopology as { config: { layers: { class_name: string }[] } }).config.layers.map((l) => l.class_name)
      expect(classes.filter((c) => !builtIn.has(c))).toEqual([])
      const loaded = await tf.layers.loadLayersModel(tf.io.fromMemory(artifacts))
      tf.tidy(() => {
        const z = tf.randomNormal([5, 6])
        const ours = model.decoder.predict(z) as tf.Tensor
        for (const other of [standard, loaded]) {
          expect(tf.max(tf.abs(tf.sub(other.predict(z) as tf.Tensor, ours))).dataSync()[0]).toBeLessThan(1e-5)
        }
      })
      standard.dispose()
      loaded.dispose()
      expect(tf.memory().numTensors).toBe(before)
      model.dispose()
    }
  )
})
