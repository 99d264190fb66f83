/**
 * The "sharpen" option's critic: a small patch discriminator (VQGAN's recipe, Esser et al. 2021,
 * narrowed to 16/32 channels: the width measured in test/experiments/sharp-faces) that scores each
 * 16×16 patch of an image as real or reconstructed. Its kernels are spectrally normalised
 * (Miyato et al. 2018) without carried state: the singular vectors are solved afresh from the
 * published weights each step, in plain JavaScript, so every worker finds the same ones and a
 * checkpoint needs nothing beyond the weights to resume exactly.
 */
import * as tf from '../tf'
import type { NamedArray } from '../project/checkpoint-manifest'
import { Rng } from '../random/rng'

/** [height, width, in, out] of each convolution, with its stride. */
function layerShapes(channels: number): Array<{ shape: [number, number, number, number]; stride: number }> {
  return [
    { shape: [4, 4, channels, 16], stride: 2 },
    { shape: [4, 4, 16, 32], stride: 2 },
    { shape: [3, 3, 32, 1], stride: 1 }
  ]
}

/** Names of the discriminator's tensors in checkpoints: kernels then biases, layer by layer. */
export const discriminatorPrefix = 'discriminator/'

/** Seeded Glorot-uniform kernels and zero biases, as checkpoint arrays (kernel, bias per layer). */
export function initialDiscriminator(channels: number, seed: number): NamedArray[] {
  const rng = new Rng(seed)
  return layerShapes(channels).flatMap(({ shape }, i) => {
    const [h, w, inputs, outputs] = shape
    const limit = Math.sqrt(6 / (h * w * (inputs + outputs)))
    const kernel = Float32Array.from({ length: h * w * inputs * outputs }, () => (rng.next() * 2 - 1) * limit)
    return [
      { name: `${discriminatorPrefix}conv${i + 1}/kernel`, shape: [...shape], data: kernel },
      { name: `${discriminatorPrefix}conv${i + 1}/bias`, shape: [outputs], data: new Float32Array(outputs) }
    ]
  })
}

/**
 * The top singular vectors (u of length rows, v of length cols) of a row-major [rows, cols]
 * matrix: power iteration on the small cols × cols Gram matrix from a fixed start, so the result
 * depends on the weights alone.
 */
export function topSingularVectors(
  matrix: Float32Array,
  rows: number,
  cols: number,
  iterations = 60
): { u: Float64Array; v: Float64Array; sigma: number } {
  const gram = new Float64Array(cols * cols)
  for (let r = 0; r < rows; r++) {
    const row = r * cols
    for (let i = 0; i < cols; i++) {
      const a = matrix[row + i]
      for (let j = 0; j < cols; j++) gram[i * cols + j] += a * matrix[row + j]
    }
  }
  let v = new Float64Array(cols).fill(1 / Math.sqrt(cols))
  for (let k = 0; k < iterations; k++) {
    const next = new Float64Array(cols)
    for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) next[i] += gram[i * cols + j] * v[j]
    const norm = Math.hypot(...next)
    if (norm === 0) break
    v = next.map((x) => x / norm)
  }
  const u = new Float64Array(rows)
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) u[r] += matrix[r * cols + j] * v[j]
  const sigma = Math.hypot(...u)
  return { u: sigma > 0 ? u.map((x) => x / sigma) : u, v, sigma }
}

export class PatchDiscriminator {
  /** Kernel and bias of each layer, in `initialDiscriminator`'s order. */
  readonly variables: tf.Variable[]
  private readonly layers: ReturnType<typeof layerShapes>

  constructor(channels: number) {
    this.layers = layerShapes(channels)
    // In a tidy: the zeros are freed, the variables (never tracked by tidy) stay.
    this.variables = tf.tidy(() => this.layers.flatMap(({ shape }) => [tf.variable(tf.zeros(shape)), tf.variable(tf.zeros([shape[3]]))]))
  }

  /** Patch logits [n, 16, 16, 1] of 64-px images in [0, 1], given the kernels' `singularVectors`; call inside a tidy or `variableGrads`. */
  apply(images: tf.Tensor4D, vectors: SingularVectors): tf.Tensor4D {
    let h: tf.Tensor4D = tf.sub(tf.mul(images, 2), 1)
    this.layers.forEach(({ shape, stride }, i) => {
      const kernel = this.variables[2 * i] as tf.Tensor4D
      const matrix = tf.reshape(kernel, [-1, shape[3]]) as tf.Tensor2D
      // σ = uᵀWv with u, v constant: the gradient flows through W, as in the paper.
      const sigma = tf.sum(tf.mul(vectors[i].u, tf.matMul(matrix, vectors[i].v)))
      h = tf.add(tf.conv2d(h, tf.div(kernel, sigma) as tf.Tensor4D, stride, 'same'), this.variables[2 * i + 1])
      if (i < this.layers.length - 1) h = tf.leakyRelu(h, 0.2)
    })
    return h
  }

  /** u [rows, 1] and v [cols, 1] of each kernel at its current values; the caller frees them. */
  singularVectors(): SingularVectors {
    return this.layers.map(({ shape }, i) => {
      const cols = shape[3]
      const rows = shape[0] * shape[1] * shape[2]
      const { u, v } = topSingularVectors(this.variables[2 * i].dataSync() as Float32Array, rows, cols)
      return { u: tf.tensor2d(Float32Array.from(u), [rows, 1]), v: tf.tensor2d(Float32Array.from(v), [cols, 1]) }
    })
  }

  load(arrays: NamedArray[]): void {
    if (arrays.length !== this.variables.length)
      throw new Error(`the discriminator has ${this.variables.length} tensors, not ${arrays.length}`)
    this.variables.forEach((variable, i) => {
      if (arrays[i].shape.join('x') !== variable.shape.join('x'))
        throw new Error(`discriminator tensor ${arrays[i].name} has shape [${arrays[i].shape}] but expects [${variable.shape}]`)
      tf.tidy(() => variable.assign(tf.tensor(arrays[i].data, variable.shape)))
    })
  }

  dispose(): void {
    tf.dispose(this.variables)
  }
}

export type SingularVectors = Array<{ u: tf.Tensor2D; v: tf.Tensor2D }>
