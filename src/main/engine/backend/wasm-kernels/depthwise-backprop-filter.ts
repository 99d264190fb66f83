/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm, which tfjs-backend-wasm 4.22 lacks.
 * dW[kh,kw,c,m] = Σ_{n,oh,ow} x[n, oh·s+kh·d−pad, ow·s+kw·d−pad, c] · dy[n,oh,ow,c·mult+m].
 * Folding the batch into the channels (x as [1, h, w, n·c], dy as an [oh, ow, n·c, mult] filter
 * dilated by the stride) makes it one depthwise convolution whose output is summed over n.
 */
import * as tf from '../../tf'
import { explicitPad, heapF32, pair, release, runWasmKernel, type BackendWasm, type Info } from './wasm-ops'

function depthwiseBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap
  backend: BackendWasm
  attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args
  const x = inputs.x as tf.TensorInfo
  const dy = inputs.dy as tf.TensorInfo
  const [dilationHeight, dilationWidth] = pair(attrs.dilations)
  const [batch, inH, inW, inC] = x.shape
  const [filterH, filterW, , multiplier] = attrs.filterShape
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    [dilationHeight, dilationWidth],
    attrs.pad,
    attrs.dimRoundingMode,
    true
  )
  const { outHeight, outWidth, strideHeight, strideWidth } = info
  const { top, left } = info.padInfo
  const spanH = (filterH - 1) * dilationHeight + 1
  const spanW = (filterW - 1) * dilationWidth + 1
  const bottom = Math.max(0, spanH + (outHeight - 1) * strideHeight - inH - top)
  const right = Math.max(0, spanW + (outWidth - 1) * strideWidth - inW - left)

  const intermediates: Info[] = []
  const keep = (t: Info): Info => {
    intermediates.push(t)
    return t
  }
  try {
    const xT = keep(runWasmKernel(backend, tf.Transpose, { x }, { perm: [1, 2, 0, 3] }))
    const xFolded = keep(runWasmKernel(backend, tf.Reshape, { x: xT }, { shape: [1, inH, inW, batch * inC] }))
    const dyT = keep(runWasmKernel(backend, tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] }))
    const dyFilter = keep(runWasmKernel(backend, tf.Reshape, { x: dyT }, { shape: [outHeight, outWidth, batch * inC, multiplier] }))
    const conv = keep(
      runWasmKernel(
        backend,
        tf.DepthwiseConv2dNative,
        { x: xFolded, filter: dyFilter },
        {
          strides: [1, 1],
          dilations: [strideHeight, strideWidth],
          pad: explicitPad(top, bottom, left, right),
          dataFormat: 'NHWC'
        }
      )
    )
    const out = backend.makeOutput([filterH, filterW, inC, multiplier], 'float32')
    const dst = heapF32(backend, out)
    const src = heapF32(backend, conv)
    const convW = conv.shape[2]
    const block = inC * multiplier
    for (let kh = 0; kh < filterH; kh++) {
      for (let kw = 0; kw < filterW; kw++) {
        const d = (kh * filterW + kw) * block
        const s = (kh * dilationHeight * convW + kw * dilationWidth) * batch * block
        for (let j = 0; j < block; j++) {
          let sum = 0
          for (let n = 0; n < batch; n++) sum += src[s + n * block + j]
          dst[d + j] = sum
        }
      }
    }
    return out
  } finally {
    release(backend, ...intermediates)
  }
}

export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc
}
