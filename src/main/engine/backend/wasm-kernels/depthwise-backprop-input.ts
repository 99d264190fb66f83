/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm, which tfjs-backend-wasm 4.22 lacks: the same
 * phase-split transposed convolution as `Conv2DBackpropInput`, run through the backend's depthwise
 * convolution, with channel-multiplier groups summed back onto their input channel.
 */
import * as tf from '../../tf'
import { geometryOf, transposedConv } from './transposed-conv'
import { pair, type BackendWasm } from './wasm-ops'

function depthwiseBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap
  backend: BackendWasm
  attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args
  const dy = inputs.dy as tf.TensorInfo
  const filter = inputs.filter as tf.TensorInfo
  const [dilationHeight, dilationWidth] = pair(attrs.dilations)
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    [dilationHeight, dilationWidth],
    attrs.pad,
    attrs.dimRoundingMode,
    true
  )
  return transposedConv(backend, dy, filter, geometryOf(attrs.inputShape, info), 'depthwise')
}

export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc
}
