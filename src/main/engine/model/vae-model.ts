/**
 * A β-VAE instance: the encoder and decoder layer models plus the few operations every caller
 * needs (encode, decode to images, deterministic initialisation, weights as plain arrays for
 * checkpoints). Weights are addressed by position, so a checkpoint written by one process loads
 * into a model built by another, whatever unique names tfjs gave the variables.
 */
import * as tf from '../tf'
import type { ModelConfig } from '../../../shared/config'
import type { NamedArray } from '../project/checkpoint-manifest'
import { Rng } from '../random/rng'
import { buildVae } from './build-vae'
import { decodeLogitsFused, releaseDerivedKernels } from './fused-decoder'

export class VaeModel {
  readonly encoder: tf.layers.LayersModel
  readonly decoder: tf.layers.LayersModel

  constructor(
    readonly config: ModelConfig,
    initSeed: number
  ) {
    const built = buildVae(config)
    this.encoder = built.encoder
    this.decoder = built.decoder
    this.initialise(initSeed)
  }

  /** Every weight, encoder first, in a fixed order. */
  private get allWeights(): tf.layers.LayerVariable[] {
    return [...this.encoder.weights, ...this.decoder.weights]
  }

  get trainableVariables(): tf.Variable[] {
    // read() hands back the layer's own Variable, not a copy: the optimiser updates it in place.
    return [...this.encoder.trainableWeights, ...this.decoder.trainableWeights].map((w) => w.read() as tf.Variable)
  }

  /**
   * Glorot-uniform kernels and zero biases from our own seeded generator: tfjs initialisers draw
   * from an unseeded source, which would make two runs with the same seed differ.
   */
  private initialise(seed: number): void {
    const rng = new Rng(seed)
    for (const w of this.allWeights) {
      const shape = w.shape as number[]
      const size = shape.reduce((a, b) => a * b, 1)
      const values = new Float32Array(size)
      if (shape.length >= 2 && !w.name.includes('bias')) {
        const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1)
        const fanIn = shape[shape.length - 2] * receptive
        const fanOut = shape[shape.length - 1] * receptive
        const limit = Math.sqrt(6 / (fanIn + fanOut))
        for (let i = 0; i < size; i++) values[i] = (rng.next() * 2 - 1) * limit
      }
      tf.tidy(() => {
        w.write(tf.tensor(values, shape))
      })
    }
  }

  weightArrays(): NamedArray[] {
    const names = this.weightNames()
    return this.allWeights.map((w, i) => ({ name: names[i], shape: [...(w.shape as number[])], data: w.read().dataSync() as Float32Array }))
  }

  private weightNames(): string[] {
    return this.allWeights.map((w, i) => `${i < this.encoder.weights.length ? 'encoder' : 'decoder'}/${w.originalName ?? w.name}`)
  }

  loadWeightArrays(arrays: NamedArray[]): void {
    const weights = this.allWeights
    if (arrays.length !== weights.length) {
      throw new Error(
        `the checkpoint holds ${arrays.length} weight tensors but this model has ${weights.length}: it was saved for a different architecture`
      )
    }
    const names = this.weightNames()
    weights.forEach((w, i) => {
      const a = arrays[i]
      const [saved, ours] = [blockKind(a.name), blockKind(names[i])]
      // Same shapes, other network: a 3×3 transposed-conv kernel fits an upsample-conv layer.
      if (saved !== null && ours !== null && saved !== ours) {
        throw new Error(`the checkpoint holds ${a.name} but this model has ${names[i]}: it was saved for a different decoder`)
      }
      if (a.shape.join('x') !== w.shape.join('x')) {
        throw new Error(`checkpoint tensor ${a.name} has shape [${a.shape}] but the model expects [${w.shape}]`)
      }
    })
    weights.forEach((w, i) =>
      tf.tidy(() => {
        w.write(tf.tensor(arrays[i].data, arrays[i].shape))
      })
    )
  }

  encode(x: tf.Tensor4D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
    const [mu, logVar] = this.encoder.apply(x) as tf.Tensor2D[]
    return { mu, logVar }
  }

  decodeLogits(z: tf.Tensor2D): tf.Tensor4D {
    return this.decoder.apply(z) as tf.Tensor4D
  }

  /** For display and export only: the fused inference path has no gradients. */
  decodeImages(z: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => tf.sigmoid(decodeLogitsFused(this.decoder, z)))
  }

  dispose(): void {
    releaseDerivedKernels(this.decoder)
    this.encoder.dispose()
    this.decoder.dispose()
  }
}

/** The kind of a hidden decoder block from a weight's name ('deconv', 'upconv', …), or null. */
function blockKind(name: string): string | null {
  return /^decoder\/decoder_([a-z]+)_\d+\//.exec(name)?.[1] ?? null
}
