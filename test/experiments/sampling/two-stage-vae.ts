/**
 * A second-stage VAE on the first stage's latent codes (Dai & Wipf, "Diagnosing and Enhancing VAE
 * Models", 2019). The first VAE's aggregate posterior q(z) is not N(0, I), so prior samples land
 * where the decoder saw few codes; a small dense VAE, trained on codes z ~ q(z|x) with a learned
 * decoder variance γ², maps N(0, I) onto q(z) far more closely. Samples: u ~ N(0, T²I) → ẑ
 * (+ γ·ε optionally).
 *
 * Dense layers on ≤ 256-d codes: a few thousand steps take seconds on the wasm backend. The
 * training loop yields to the event loop now and then, so the engine keeps answering requests.
 */
import * as tf from '../../../src/main/engine/tf'
import { Rng } from '../../../src/main/engine/random/rng'
import type { LatentSampler } from './latent-samplers'

export interface TwoStageOptions {
  /** Units in each hidden layer (default 256). */
  hidden?: number
  /** Hidden layers in the encoder and in the decoder (default 2). */
  depth?: number
  steps?: number
  batchSize?: number
  learningRate?: number
  seed?: number
  /** Train on fresh z = μ + σε each step (default), or on the means μ alone. */
  input?: 'samples' | 'means'
}

interface Dense {
  w: tf.Variable
  b: tf.Variable
}

export class TwoStageVae {
  /** Mean loss per code every 100 steps, for a look at convergence. */
  readonly history: { step: number; loss: number }[] = []

  private constructor(
    private readonly dim: number,
    private readonly encoder: Dense[],
    private readonly decoder: Dense[],
    private readonly logGamma: tf.Variable
  ) {}

  static async train(mu: readonly number[][], logVar: readonly number[][], options: TwoStageOptions = {}): Promise<TwoStageVae> {
    const d = mu[0]?.length ?? 0
    if (mu.length < 2 || d === 0) throw new Error('the second-stage VAE needs at least 2 codes')
    const hidden = options.hidden ?? 256
    const depth = options.depth ?? 2
    const steps = options.steps ?? 3000
    const batch = Math.min(options.batchSize ?? 64, mu.length)
    const rng = new Rng(options.seed ?? 0)
    const widths = [d, ...Array<number>(depth).fill(hidden)]
    const layers = (out: number): Dense[] => [...widths.slice(1), out].map((units, i) => dense(widths[i], units, rng))
    const vae = new TwoStageVae(
      d,
      layers(2 * d),
      layers(d),
      tf.tidy(() => tf.variable(tf.scalar(0), true))
    )
    const variables = [...vae.encoder, ...vae.decoder].flatMap((l) => [l.w, l.b]).concat(vae.logGamma)
    const optimizer = tf.train.adam(options.learningRate ?? 1e-3)
    const z = new Float32Array(batch * d)
    const eps = new Float32Array(batch * d)
    try {
      for (let step = 1; step <= steps; step++) {
        for (let b = 0; b < batch; b++) {
          const i = rng.int(mu.length)
          for (let j = 0; j < d; j++) {
            const noise = options.input === 'means' ? 0 : Math.exp(0.5 * logVar[i][j]) * rng.normal()
            z[b * d + j] = mu[i][j] + noise
            eps[b * d + j] = rng.normal()
          }
        }
        const loss = tf.tidy(() => {
          const zt = tf.tensor2d(z, [batch, d])
          const et = tf.tensor2d(eps, [batch, d])
          return optimizer.minimize(() => vae.loss(zt, et), true, variables) as tf.Scalar
        })
        if (step % 100 === 0 || step === steps) {
          vae.history.push({ step, loss: (await loss.data())[0] })
          await new Promise((resolve) => setImmediate(resolve))
        }
        loss.dispose()
      }
    } catch (err) {
      vae.dispose()
      throw err
    } finally {
      optimizer.dispose()
    }
    return vae
  }

  /** The learned decoder standard deviation γ: how far ẑ may sit from the codes it reconstructs. */
  get gamma(): number {
    return Math.exp(this.logGamma.dataSync()[0])
  }

  /**
   * u ~ N(0, T²I) → ẑ = decoder(u), plus T·γ·ε when `noise` is on. Dai & Wipf decode the mean
   * alone because their γ goes to ~0; where γ stays large (codes close to Gaussian already, little
   * left to learn) the means alone are shrunk towards the centre and lose variety.
   */
  sample(count: number, seed: number, temperature = 1, noise = false): number[][] {
    const rng = new Rng(seed)
    const u = Float32Array.from({ length: count * this.dim }, () => rng.normal() * temperature)
    const means = tf.tidy(() => this.decode(tf.tensor2d(u, [count, this.dim])).arraySync() as number[][])
    if (!noise) return means
    const spread = temperature * this.gamma
    return means.map((row) => row.map((v) => v + spread * rng.normal()))
  }

  sampler(name = 'two-stage', noise = false): LatentSampler {
    return { name, dim: this.dim, sample: (count, seed, temperature) => this.sample(count, seed, temperature, noise) }
  }

  dispose(): void {
    for (const l of [...this.encoder, ...this.decoder]) {
      l.w.dispose()
      l.b.dispose()
    }
    this.logGamma.dispose()
  }

  /** Negative ELBO per code (up to the constant ½·d·log 2π), averaged over the batch. */
  private loss(z: tf.Tensor2D, eps: tf.Tensor2D): tf.Scalar {
    const d = this.dim
    const out = forward(this.encoder, z)
    const mu = tf.slice(out, [0, 0], [-1, d])
    const logVar = tf.slice(out, [0, d], [-1, d])
    const u = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D
    const zHat = this.decode(u)
    const logGamma = tf.maximum(this.logGamma, -8)
    const squared = tf.sum(tf.square(tf.sub(z, zHat)), 1)
    const recon = tf.add(tf.div(squared, tf.mul(tf.exp(tf.mul(logGamma, 2)), 2)), tf.mul(logGamma, d))
    const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar)), 1), -0.5)
    return tf.mean(tf.add(recon, kl)) as tf.Scalar
  }

  private decode(u: tf.Tensor2D): tf.Tensor2D {
    return forward(this.decoder, u)
  }
}

/** ReLU between layers, linear output. */
function forward(layers: Dense[], x: tf.Tensor2D): tf.Tensor2D {
  return layers.reduce((h, l, i) => {
    const y = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D
    return i < layers.length - 1 ? tf.relu(y) : y
  }, x)
}

/** Glorot-uniform weights from our seeded generator (tfjs initialisers are unseeded). */
function dense(inputs: number, units: number, rng: Rng): Dense {
  const limit = Math.sqrt(6 / (inputs + units))
  const w = Float32Array.from({ length: inputs * units }, () => (rng.next() * 2 - 1) * limit)
  // tidy frees the initial values; variables outlive it (tidy never disposes variables).
  return tf.tidy(() => ({ w: tf.variable(tf.tensor2d(w, [inputs, units]), true), b: tf.variable(tf.zeros([units]), true) }))
}
