/**
 * Replaces tfjs-backend-wasm's `Conv2DBackpropInput` (a scalar loop, 70 % of a training step) with
 * phase-split XNNPACK convolutions. It serves both the input gradient of every `conv2d` and the
 * forward pass of `conv2dTranspose`.
 */
import * as tf from '../../tf'
import { geometryOf, transposedConv } from './transposed-conv'
import { assertChannelsLast, type BackendWasm } from './wasm-ops'

function conv2DBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap
  backend: BackendWasm
  attrs: tf.Conv2DBackpropInputAttrs
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args
  const dy = inputs.dy as tf.TensorInfo
  const filter = inputs.filter as tf.TensorInfo
  assertChannelsLast(tf.Conv2DBackpropInput, attrs.dataFormat)
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode
  )
  return transposedConv(backend, dy, filter, geometryOf(attrs.inputShape, info), 'conv')
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc
}
