/**
 * An inference-only kernel the wasm backend lacks: transposed convolution + bias + optional
 * LeakyReLU in one pass. Decoding a 64-image grid spent a fifth of its time in the separate `Add`
 * and `LeakyRelu` passes over each block's output; here each phase convolution applies them as it
 * writes its output (see transposed-conv.ts). It has no gradient: training keeps the layers' own ops.
 */
import * as tf from '../../tf'
import { geometryOf, transposedConv } from './transposed-conv'
import type { BackendWasm } from './wasm-ops'

export const fusedConv2DTransposeKernel = 'VaeStudioFusedConv2DTranspose'

/** Named like tfjs's own fused kernels' attributes. */
export interface FusedConv2DTransposeAttrs {
  /** NHWC shape of the result (the forward convolution's input). */
  outputShape: [number, number, number, number]
  strides: [number, number]
  pad: 'same' | 'valid'
  activation: 'linear' | 'leakyrelu'
  leakyreluAlpha: number
}

/** Runs the kernel; only on a backend that registers it (wasm, once the engine's kernels are in). */
export function fusedConv2dTranspose(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  attrs: FusedConv2DTransposeAttrs
): tf.Tensor4D {
  return tf.engine().runKernel(fusedConv2DTransposeKernel, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D
}

function fusedConv2DTranspose(args: {
  inputs: tf.NamedTensorInfoMap
  backend: BackendWasm
  attrs: FusedConv2DTransposeAttrs
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args
  const x = inputs.x as tf.TensorInfo
  const filter = inputs.filter as tf.TensorInfo
  const bias = inputs.bias as tf.TensorInfo
  const info = tf.backend_util.computeConv2DInfo(
    attrs.outputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad
  )
  const leakyAlpha = attrs.activation === 'leakyrelu' ? attrs.leakyreluAlpha : null
  return transposedConv(backend, x, filter, geometryOf(attrs.outputShape, info), 'conv', { bias, leakyAlpha })
}

export const fusedConv2DTransposeConfig: tf.KernelConfig = {
  kernelName: fusedConv2DTransposeKernel,
  backendName: 'wasm',
  kernelFunc: fusedConv2DTranspose as unknown as tf.KernelFunc
}
