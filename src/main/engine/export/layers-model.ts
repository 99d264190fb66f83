/**
 * Export of the trained networks in TensorFlow.js layers format, so a web page can run the model
 * with nothing but `tf.loadLayersModel('…/decoder/model.json')`. Files are laid out as tfjs's own
 * file:// and http:// handlers expect: `model.json` naming `weights.bin` beside it.
 *
 * The studio's decoder outputs logits (the BCE loss wants them); the exported decoder ends in a
 * sigmoid layer instead, so its output is the image in [0, 1], NHWC, like the encoder's input.
 * The builder uses only built-in layers, so no custom-layer registration is needed to load them.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import * as tf from '../tf'
import { writeFileAtomic, writeJsonAtomic } from '../fs/atomic-write'
import type { VaeModel } from '../model/vae-model'

export const weightsFile = 'weights.bin'

export interface ExportedModelInfo {
  format: 'vae-studio-tfjs-layers'
  version: 1
  imageSize: number
  channels: number
  latentDim: number
  encoder: string
  decoder: string
}

async function saveLayersModel(model: tf.layers.LayersModel, dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true })
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }]
      }
      // Weights first: a model.json on disk always has its weights beside it.
      await writeFileAtomic(path.join(dir, weightsFile), new Uint8Array(weights))
      await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson))
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } }
    })
  )
}

/**
 * The decoder followed by a sigmoid, sharing the decoder's layers (and so its weights). Nothing
 * here owns tensors: the wrapper is left to the garbage collector, never disposed, because
 * disposing it would dispose the studio model's own layers.
 */
function imageDecoder(model: VaeModel): tf.layers.LayersModel {
  const images = tf.layers.layers
    .activation({ activation: 'sigmoid', name: 'images' })
    .apply(model.decoder.outputs[0]) as tf.layers.SymbolicTensor
  return tf.layers.model({ inputs: model.decoder.inputs, outputs: images, name: 'decoder' })
}

/** Writes `encoder/`, `decoder/` and `vae-studio.json` under `outDir`; returns what was written. */
export async function exportLayersModel(model: VaeModel, outDir: string): Promise<ExportedModelInfo> {
  const encoderDir = path.join(outDir, 'encoder')
  const decoderDir = path.join(outDir, 'decoder')
  await saveLayersModel(model.encoder, encoderDir)
  await saveLayersModel(imageDecoder(model), decoderDir)
  const info: ExportedModelInfo = {
    format: 'vae-studio-tfjs-layers',
    version: 1,
    imageSize: model.config.imageSize,
    channels: model.config.channels,
    latentDim: model.config.latentDim,
    encoder: 'encoder/model.json: [batch, size, size, channels] floats in [0, 1] → [mu, logVar], each [batch, latentDim]',
    decoder: 'decoder/model.json: [batch, latentDim] codes → [batch, size, size, channels] images in [0, 1]'
  }
  await writeJsonAtomic(path.join(outDir, 'vae-studio.json'), info)
  return info
}
