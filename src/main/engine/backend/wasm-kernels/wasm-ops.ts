/**
 * Plumbing shared by the custom wasm kernels: they are built from the wasm backend's own fast
 * kernels (XNNPACK `Conv2D`, `Transpose`, `Slice`), called directly through the kernel registry
 * the way tfjs-backend-wasm's composite kernels call each other. Calling kernel functions rather
 * than tf ops keeps the intermediates off the engine's tape and out of `tf.memory()`; every one of
 * them must therefore be released with `release`.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import * as tf from '../../tf'

export type { BackendWasm }
export type Info = tf.TensorInfo
export type Pair = [number, number]

/** Runs another wasm kernel on tensor infos; the caller owns (and must release) the result. */
export function runWasmKernel(backend: BackendWasm, kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): Info {
  const config = tf.getKernel(kernelName, 'wasm')
  if (config == null) throw new Error(`wasm kernel '${kernelName}' is not registered`)
  return config.kernelFunc({ inputs, backend, attrs }) as Info
}

/** Frees intermediate tensor data created inside a kernel. */
export function release(backend: BackendWasm, ...infos: Info[]): void {
  for (const info of infos) backend.disposeData(info.dataId)
}

/**
 * A float32 view on a tensor's wasm heap memory. Take views only after the last allocation of a
 * step: growing the heap detaches earlier views.
 */
export function heapF32(backend: BackendWasm, info: Info): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array
}

/** Normalises a `[h, w] | n` attribute (strides, dilations) to a pair. */
export function pair(value: number | number[]): Pair {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]]
}

/** The wasm backend convolves NHWC only; fail with a clear message rather than wrong numbers. */
export function assertChannelsLast(kernelName: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'`)
  }
}

/** Explicit NHWC padding for a `Conv2D` kernel call. */
export function explicitPad(top: number, bottom: number, left: number, right: number): number[][] {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0]
  ]
}
