/**
 * The convolutional β-VAE as two tfjs layer models, built by pure functions in the manner of
 * tfjs-examples' fashion-mnist-vae; the loss and the training loop live elsewhere.
 */
import type * as tf from '../tf'
import type { ModelConfig } from '../../../shared/config'
import { decoder } from './decoder'
import { encoder } from './encoder'

export { decoder, encoder }

export interface Vae {
  encoder: tf.layers.LayersModel
  decoder: tf.layers.LayersModel
}

export function buildVae(cfg: ModelConfig): Vae {
  return { encoder: encoder(cfg), decoder: decoder(cfg) }
}
