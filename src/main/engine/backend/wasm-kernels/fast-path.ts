/**
 * Wraps one of tfjs-backend-wasm's own kernels with a faster implementation for the common case,
 * handing every other case to the original.
 */
import type * as tf from '../../tf'
import type { BackendWasm, Info } from './wasm-ops'

export interface KernelArgs<A = tf.NamedAttrMap> {
  inputs: tf.NamedTensorInfoMap
  backend: BackendWasm
  attrs: A
}

/** Returns the result, or null to let the backend's own kernel run. */
export type FastPath<A> = (args: KernelArgs<A>) => Info | null

export function withFastPath<A>(native: tf.KernelConfig, fast: FastPath<A>): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs<A>): Info | Info[] => fast(args) ?? (native.kernelFunc(args as never) as Info | Info[])
  return { ...native, kernelFunc: kernelFunc as unknown as tf.KernelFunc }
}
