/**
 * Adam over a range of a flat parameter vector, in plain JavaScript, bit for bit what tfjs-core's
 * `AdamOptimizer.applyGradients` computes on the wasm (and cpu) backend: the same operations in
 * the same order, each rounded to float32 (`Math.fround`; +, −, ×, ÷ and √ of float32 operands
 * rounded once from double are the correctly rounded float32 results). So a checkpoint moves
 * between this and `tf.train.adam` freely, and one worker reproduces the engine thread's trainer exactly.
 *
 * Each worker updates only its own range (reduce-scatter); the state lives in shared memory.
 */
import type { AdamScalars } from './shared-state'

export interface AdamConfig {
  learningRate: number
  beta1: number
  beta2: number
  /** tfjs uses the backend's epsilon (1e-7 for float32 backends) when none is given. */
  epsilon: number
}

export function adamConfig(learningRate: number, epsilon: number): AdamConfig {
  return { learningRate, beta1: 0.9, beta2: 0.999, epsilon }
}

/** The sharpen option's discriminator: the usual GAN settings (lr 4e-4, β₁ 0.5, β₂ 0.9), as measured in test/experiments/sharp-faces. */
export function discriminatorAdamConfig(epsilon: number): AdamConfig {
  return { learningRate: 4e-4, beta1: 0.5, beta2: 0.9, epsilon }
}

const f = Math.fround

/** Before the first step: tfjs starts its accumulated β powers at β itself. */
export function initialAdamScalars(config: Pick<AdamConfig, 'beta1' | 'beta2'>): AdamScalars {
  return { iterations: 0, accBeta1: f(config.beta1), accBeta2: f(config.beta2) }
}

export function nextAdamScalars(s: AdamScalars, config: Pick<AdamConfig, 'beta1' | 'beta2'>): AdamScalars {
  return { iterations: s.iterations + 1, accBeta1: f(s.accBeta1 * f(config.beta1)), accBeta2: f(s.accBeta2 * f(config.beta2)) }
}

/**
 * The scalars after `iterations` steps, accumulated exactly as the steps accumulate them (one
 * float32 product per step). A checkpoint keeps only the step count; tfjs's `setWeights` rebuilds
 * the powers as pow(β, n + 1), which is not always the same float32 (e.g. after 27, 44 or 55
 * steps here), and a run resumed there would drift from the one that never stopped.
 */
export function adamScalarsAfter(iterations: number, config: Pick<AdamConfig, 'beta1' | 'beta2'>): AdamScalars {
  let s = initialAdamScalars(config)
  // Once both powers are 0 (float32 underflow, ~10⁵ steps) they stay 0.
  while (s.iterations < iterations && (s.accBeta1 !== 0 || s.accBeta2 !== 0)) s = nextAdamScalars(s, config)
  return { ...s, iterations }
}

/**
 * Reads weights, moments and gradient in [start, end), writes the updated three into the `out`
 * arrays (the other parity's buffers; never the inputs, which stay the published state).
 */
export function adamRange(
  config: AdamConfig,
  s: AdamScalars,
  gradient: Float32Array,
  input: { w: Float32Array; m: Float32Array; v: Float32Array },
  out: { w: Float32Array; m: Float32Array; v: Float32Array },
  start: number,
  end: number,
  /** Where `gradient` starts in parameter indices (a scratch array may hold just the range). */
  gradientOffset = 0
): void {
  const b1 = f(config.beta1)
  const b2 = f(config.beta2)
  const c1 = f(1 - config.beta1)
  const c2 = f(1 - config.beta2)
  const negLr = f(-config.learningRate)
  const eps = f(config.epsilon)
  const oneMinusAcc1 = f(1 - s.accBeta1)
  const oneMinusAcc2 = f(1 - s.accBeta2)
  const { w, m, v } = input
  const wo = out.w
  const mo = out.m
  const vo = out.v
  for (let i = start; i < end; i++) {
    const g = gradient[i - gradientOffset]
    const nm = f(f(m[i] * b1) + f(g * c1))
    const nv = f(f(v[i] * b2) + f(f(g * g) * c2))
    const mHat = f(nm / oneMinusAcc1)
    const vHat = f(nv / oneMinusAcc2)
    mo[i] = nm
    vo[i] = nv
    wo[i] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + eps)) * negLr) + w[i])
  }
}
