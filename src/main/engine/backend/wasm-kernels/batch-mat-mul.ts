/**
 * tfjs-backend-wasm's `BatchMatMul` uses XNNPACK only for a single (unbatched) product with
 * neither operand transposed; with `transposeA` or `transposeB` it falls back to a scalar loop
 * that ran 3 to 11 times slower here, and every dense layer's gradient asks for exactly that
 * (dW = xᵀ·dy, dx = dy·Wᵀ). Transposing the operand first with the backend's `Transpose` and
 * multiplying plainly is far cheaper. Batched products take the scalar loop either way.
 */
import * as tf from '../../tf'
import { withFastPath, type KernelArgs } from './fast-path'
import { release, runWasmKernel, type BackendWasm, type Info } from './wasm-ops'

function swapLastTwo(backend: BackendWasm, x: Info): Info {
  const perm = x.shape.map((_, i) => i)
  const r = perm.length
  ;[perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]]
  return runWasmKernel(backend, tf.Transpose, { x }, { perm })
}

function batchOf(x: Info): number {
  return tf.util.sizeFromShape(x.shape.slice(0, -2))
}

export function batchMatMulConfig(native: tf.KernelConfig): tf.KernelConfig {
  return withFastPath(native, ({ inputs, backend, attrs }: KernelArgs<tf.BatchMatMulAttrs>) => {
    if (!attrs.transposeA && !attrs.transposeB) return null
    if (batchOf(inputs.a as Info) !== 1 || batchOf(inputs.b as Info) !== 1) return null
    const a = attrs.transposeA ? swapLastTwo(backend, inputs.a as Info) : (inputs.a as Info)
    const b = attrs.transposeB ? swapLastTwo(backend, inputs.b as Info) : (inputs.b as Info)
    try {
      const plain = { transposeA: false, transposeB: false }
      return native.kernelFunc({ inputs: { a, b }, backend, attrs: plain }) as Info
    } finally {
      if (a !== inputs.a) release(backend, a)
      if (b !== inputs.b) release(backend, b)
    }
  })
}
