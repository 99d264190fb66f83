/**
 * The convolutional β-VAE as two tfjs layer models, built by pure functions in the manner of
 * tfjs-examples' fashion-mnist-vae. Blocks follow the image size down to 4×4.
 */
import * as tf from '../tf'
import type { ModelConfig } from '../../../shared/config'

const L = tf.layers.layers

function blocks(size: number): number {
  return Math.log2(size / 4)
}

export function encoder(cfg: ModelConfig): tf.layers.LayersModel {
  const input = tf.layers.input({ shape: [cfg.imageSize, cfg.imageSize, cfg.channels] })
  let h: tf.layers.SymbolicTensor = input
  for (let i = 0; i < blocks(cfg.imageSize); i++) {
    h = L.conv2d({ filters: cfg.baseFilters * 2 ** Math.min(i, 3), kernelSize: 4, strides: 2, padding: 'same' }).apply(h) as tf.layers.SymbolicTensor
    h = L.leakyReLU({ alpha: 0.2 }).apply(h) as tf.layers.SymbolicTensor
  }
  h = L.flatten().apply(h) as tf.layers.SymbolicTensor
  const mu = L.dense({ units: cfg.latentDim, name: 'mu' }).apply(h) as tf.layers.SymbolicTensor
  const logVar = L.dense({ units: cfg.latentDim, name: 'log_var' }).apply(h) as tf.layers.SymbolicTensor
  return tf.layers.model({ inputs: input, outputs: [mu, logVar], name: 'encoder' })
}

export function decoder(cfg: ModelConfig): tf.layers.LayersModel {
  const n = blocks(cfg.imageSize)
  const top = cfg.baseFilters * 2 ** Math.min(n - 1, 3)
  const input = tf.layers.input({ shape: [cfg.latentDim] })
  let h = L.dense({ units: 4 * 4 * top }).apply(input) as tf.layers.SymbolicTensor
  h = L.reshape({ targetShape: [4, 4, top] }).apply(h) as tf.layers.SymbolicTensor
  for (let i = n - 2; i >= 0; i--) {
    h = L.conv2dTranspose({ filters: cfg.baseFilters * 2 ** Math.min(i, 3), kernelSize: 4, strides: 2, padding: 'same' }).apply(h) as tf.layers.SymbolicTensor
    h = L.leakyReLU({ alpha: 0.2 }).apply(h) as tf.layers.SymbolicTensor
  }
  const logits = L.conv2dTranspose({ filters: cfg.channels, kernelSize: 4, strides: 2, padding: 'same', name: 'logits' }).apply(h) as tf.layers.SymbolicTensor
  return tf.layers.model({ inputs: input, outputs: logits, name: 'decoder' })
}

export function buildVae(cfg: ModelConfig): { encoder: tf.layers.LayersModel; decoder: tf.layers.LayersModel } {
  return { encoder: encoder(cfg), decoder: decoder(cfg) }
}
