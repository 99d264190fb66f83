/**
 * tfjs-backend-wasm's `LeakyRelu` is a branchy scalar loop (7× slower than its `Relu` here, as
 * the sign of activations is unpredictable); a branch-free loop over the heap is not.
 */
import * as tf from '../../tf'
import { withFastPath, type KernelArgs } from './fast-path'
import { heapF32, type Info } from './wasm-ops'

export function leakyReluConfig(native: tf.KernelConfig): tf.KernelConfig {
  return withFastPath(native, ({ inputs, backend, attrs }: KernelArgs<tf.LeakyReluAttrs>) => {
    const x = inputs.x as Info
    if (x.dtype !== 'float32') return null
    const out = backend.makeOutput(x.shape, 'float32')
    const src = heapF32(backend, x)
    const dst = heapF32(backend, out)
    const alpha = attrs.alpha
    const rest = 1 - alpha
    for (let i = 0; i < src.length; i++) {
      const v = src[i]
      // alpha + (1 − alpha) is 1 to within float64 rounding, so positive values pass exactly.
      dst[i] = v * (alpha + rest * +(v > 0))
    }
    return out
  })
}
