/**
 * A faster `Concat` for the face worker's own tfjs (never the engine's: each worker thread has
 * its own copy of tfjs). face-api subtracts its mean colour by building the mean image with three
 * `fill`s and a `concat` on the channel axis before every landmark, age/gender and expression
 * pass; tfjs-wasm's concat copies with one `subarray` + `set` per pixel and input, which took
 * ~8 % of a photo's time. Same results, a plain copy loop for narrow inputs.
 */
import type * as Tf from '@tensorflow/tfjs'

/** What it needs of the worker's tfjs (face-api's own copy, see face-nets.ts). */
type KernelRegistry = Pick<typeof Tf, 'getKernel' | 'unregisterKernel' | 'registerKernel'>

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): { dataId: object; shape: number[]; dtype: string }
  typedArrayFromHeap(info: { dataId: object; shape: number[]; dtype: string }): Float32Array | Int32Array | Uint8Array
}

interface TensorInfoLike {
  dataId: object
  shape: number[]
  dtype: string
}

/** Inner rows at most this long are copied element by element. */
const narrow = 16

export function registerFastConcat(tf: KernelRegistry): void {
  const original = tf.getKernel('Concat', 'wasm')
  if (!original || (original as { fast?: boolean }).fast) return
  const kernelFunc = (args: { inputs: TensorInfoLike[]; backend: unknown; attrs: Record<string, unknown> }): unknown => {
    const { inputs, attrs } = args
    const backend = args.backend as WasmBackendLike
    const rank = inputs[0].shape.length
    const axis = ((attrs.axis as number) + rank) % rank
    const present = inputs.filter((t) => t.shape.reduce((a, b) => a * b, 1) > 0)
    // Strings, a single input and wide inner rows go the original way.
    if (present.length < 2 || present[0].dtype === 'string' || present.some((t) => t.dtype !== present[0].dtype)) {
      return original.kernelFunc(args as never)
    }
    const inner = present.map((t) => t.shape.slice(axis).reduce((a, b) => a * b, 1))
    if (inner.some((n) => n > narrow)) return original.kernelFunc(args as never)
    const outShape = [...present[0].shape]
    outShape[axis] = present.reduce((sum, t) => sum + t.shape[axis], 0)
    const out = backend.makeOutput(outShape, present[0].dtype)
    const outValues = backend.typedArrayFromHeap(out)
    const inValues = present.map((t) => backend.typedArrayFromHeap(t))
    const outer = present[0].shape.slice(0, axis).reduce((a, b) => a * b, 1)
    const stride = inner.reduce((a, b) => a + b, 0)
    for (let i = 0; i < present.length; i++) {
      const values = inValues[i]
      const n = inner[i]
      let offset = inner.slice(0, i).reduce((a, b) => a + b, 0)
      let from = 0
      for (let b = 0; b < outer; b++, offset += stride) {
        for (let j = 0; j < n; j++) outValues[offset + j] = values[from++]
      }
    }
    return out
  }
  tf.unregisterKernel('Concat', 'wasm')
  tf.registerKernel({ kernelName: 'Concat', backendName: 'wasm', kernelFunc: kernelFunc as never, fast: true } as never)
}
