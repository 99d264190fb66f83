/**
 * Test support: runs the same computation on the cpu backend (the reference) and on wasm (with
 * the engine's kernels) from identical inputs, and measures how far the results drift apart.
 */
import * as tf from '../../tf'
import { Rng } from '../../random/rng'
import { selectBackend } from '../select-backend'
import { clearWasmKernelCaches } from '.'

export interface HostTensor {
  data: Float32Array
  shape: number[]
}

export function randomHost(shape: number[], seed: number): HostTensor {
  const rng = new Rng(seed)
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => rng.next() * 2 - 1)
  return { data, shape }
}

type Computation = (...inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]

async function runOn(backend: 'cpu' | 'wasm', inputs: HostTensor[], f: Computation): Promise<Float32Array[]> {
  await selectBackend(backend)
  const tensors = inputs.map((t) => tf.tensor(t.data, t.shape))
  const out = f(...tensors)
  const outs = Array.isArray(out) ? out : [out]
  const values = outs.map((t) => t.dataSync() as Float32Array)
  tf.dispose([...tensors, ...outs])
  return values
}

/** max |wasm − cpu| / max |cpu| over every output. */
export async function relativeErrorVsCpu(inputs: HostTensor[], f: Computation): Promise<number> {
  const expected = await runOn('cpu', inputs, f)
  const actual = await runOn('wasm', inputs, f)
  let maxDiff = 0
  let maxRef = 0
  expected.forEach((e, k) => {
    if (e.length !== actual[k].length) throw new Error(`output ${k}: ${actual[k].length} values on wasm, ${e.length} on cpu`)
    for (let i = 0; i < e.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(actual[k][i] - e[i]))
      maxRef = Math.max(maxRef, Math.abs(e[i]))
    }
  })
  return maxRef === 0 ? maxDiff : maxDiff / maxRef
}

export interface WasmFootprint {
  tensors: number
  dataIds: number
}

/** Live tensors and wasm data buffers after dropping the kernels' caches. */
export function wasmFootprint(): WasmFootprint {
  clearWasmKernelCaches()
  return { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() }
}
