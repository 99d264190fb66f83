/**
 * `Greater` of a float32 tensor against a scalar or a tensor of its own shape (the mask of every
 * LeakyRelu gradient) as one branch-free loop; the backend's own broadcasting kernel took twice
 * as long.
 */
import * as tf from '../../tf'
import { withFastPath } from './fast-path'
import { heapF32, type Info } from './wasm-ops'

export function greaterConfig(native: tf.KernelConfig): tf.KernelConfig {
  return withFastPath(native, ({ inputs, backend }) => {
    const a = inputs.a as Info
    const b = inputs.b as Info
    const size = tf.util.sizeFromShape(a.shape)
    const bSize = tf.util.sizeFromShape(b.shape)
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null
    if (bSize !== 1 && !tf.util.arraysEqual(a.shape, b.shape)) return null
    if (bSize === 1 && b.shape.length > a.shape.length) return null
    const out = backend.makeOutput(a.shape, 'bool')
    const av = heapF32(backend, a)
    const bv = heapF32(backend, b)
    const dst = backend.typedArrayFromHeap(out) as Uint8Array
    if (bSize === 1) {
      const threshold = bv[0]
      for (let i = 0; i < size; i++) dst[i] = +(av[i] > threshold)
    } else {
      for (let i = 0; i < size; i++) dst[i] = +(av[i] > bv[i])
    }
    return out
  })
}
