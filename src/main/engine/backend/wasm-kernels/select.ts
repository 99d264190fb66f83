/**
 * `Select` (tf.where) of two float32 tensors under a bool mask of the same shape, done on the
 * bit patterns without branches; the backend's own kernel was 4× slower on unpredictable masks.
 */
import * as tf from '../../tf'
import { withFastPath } from './fast-path'
import type { BackendWasm, Info } from './wasm-ops'

export function selectConfig(native: tf.KernelConfig): tf.KernelConfig {
  return withFastPath(native, ({ inputs, backend }) => {
    const condition = inputs.condition as Info
    const t = inputs.t as Info
    const e = inputs.e as Info
    if (condition.dtype !== 'bool' || t.dtype !== 'float32' || e.dtype !== 'float32') return null
    if (!tf.util.arraysEqual(condition.shape, t.shape) || !tf.util.arraysEqual(t.shape, e.shape)) return null
    const out = backend.makeOutput(t.shape, 'float32')
    const mask = backend.typedArrayFromHeap(condition) as Uint8Array
    const tv = bits(backend, t)
    const ev = bits(backend, e)
    const dst = bits(backend, out)
    for (let i = 0; i < mask.length; i++) {
      const m = -mask[i]
      dst[i] = (tv[i] & m) | (ev[i] & ~m)
    }
    return out
  })
}

function bits(backend: BackendWasm, info: Info): Int32Array {
  const f = backend.typedArrayFromHeap(info)
  return new Int32Array(f.buffer, f.byteOffset, f.length)
}
