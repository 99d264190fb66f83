/**
 * Registers the engine's wasm kernels: the gradient kernels tfjs-backend-wasm 4.22 lacks, and
 * faster replacements for the kernels that dominated a convolutional training step. Safe to call
 * any number of times; requires tfjs-backend-wasm to be loaded (it registers the originals).
 */
import * as tf from '../../tf'
import { batchMatMulConfig } from './batch-mat-mul'
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter'
import { conv2DBackpropInputConfig } from './conv2d-backprop-input'
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-backprop-filter'
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-backprop-input'
import { fusedConv2DTransposeConfig } from './fused-conv2d-transpose'
import { greaterConfig } from './greater'
import { clearPhaseFilterCache } from './phase-filters'
import { sumConfig } from './sum'

/** Kernels written from scratch (missing, replaced outright, or our own fused inference kernel). */
const standalone: tf.KernelConfig[] = [
  conv2DBackpropInputConfig,
  fusedConv2DTransposeConfig,
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig
]

/** Kernels that keep the backend's own implementation for the cases they do not speed up. */
const wrappers: [string, (native: tf.KernelConfig) => tf.KernelConfig][] = [
  [tf.BatchMatMul, batchMatMulConfig],
  [tf.Greater, greaterConfig],
  [tf.Sum, sumConfig]
]

const ours = new WeakSet<tf.KernelFunc>()

function isInstalled(kernelName: string): boolean {
  const current = tf.getKernel(kernelName, 'wasm')
  return current !== undefined && ours.has(current.kernelFunc)
}

function install(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName)
  tf.registerKernel(config)
  ours.add(config.kernelFunc)
}

export function registerWasmKernels(): void {
  for (const config of standalone) {
    if (!isInstalled(config.kernelName)) install(config)
  }
  for (const [kernelName, wrap] of wrappers) {
    if (isInstalled(kernelName)) continue
    const native = tf.getKernel(kernelName, 'wasm')
    if (native === undefined) throw new Error(`tfjs-backend-wasm is not loaded: its ${kernelName} kernel is missing`)
    install(wrap(native))
  }
}

/**
 * Frees data the kernels keep between calls (per-filter phase filters for inference). It is
 * released by itself once the weights it was derived from are gone; call this to release it now,
 * e.g. before counting `backend.numDataIds()` in a leak check.
 */
export function clearWasmKernelCaches(): void {
  clearPhaseFilterCache()
}
