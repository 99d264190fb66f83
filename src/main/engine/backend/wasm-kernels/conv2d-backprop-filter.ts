/**
 * `Conv2DBackpropFilter` for wasm, which tfjs-backend-wasm 4.22 lacks (conv training fails
 * without it). dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−pad, ow·s+kw−pad, ci] · dy[n,oh,ow,co]
 * is one matrix product: patchesᵀ [kh·kw·ci, n·oh·ow] × dy [n·oh·ow, co], which XNNPACK's GEMM
 * runs at full speed for every layer shape. (Casting it as a dilated `Conv2D` over transposed x
 * and dy also works, but was up to 10× slower when x has few channels.) The patch matrix is built
 * batch slice by batch slice so its memory stays bounded at 128×128 px.
 */
import * as tf from '../../tf'
import { assertChannelsLast, heapF32, release, runWasmKernel, type BackendWasm, type Info } from './wasm-ops'

/** Upper bound on patch-matrix elements per GEMM (32 MB of float32). */
const maxPatchElements = 8 * 1024 * 1024

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.Conv2DBackpropFilterAttrs }): Info {
  const { inputs, backend, attrs } = args
  const x = inputs.x as Info
  const dy = inputs.dy as Info
  assertChannelsLast(tf.Conv2DBackpropFilter, attrs.dataFormat)
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode
  )
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels } = info
  const rows = filterHeight * filterWidth * inChannels
  const pixelsPerImage = outHeight * outWidth
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(maxPatchElements / (rows * pixelsPerImage))))

  let total: Info | null = null
  for (let n0 = 0; n0 < batchSize; n0 += imagesPerChunk) {
    const n1 = Math.min(batchSize, n0 + imagesPerChunk)
    const partial = chunkGradient(backend, x, dy, info, n0, n1)
    if (total === null) {
      total = partial
    } else {
      const sum = runWasmKernel(backend, tf.Add, { a: total, b: partial })
      release(backend, total, partial)
      total = sum
    }
  }
  const grad = total as Info
  const out = runWasmKernel(backend, tf.Reshape, { x: grad }, { shape: [filterHeight, filterWidth, inChannels, outChannels] })
  release(backend, grad)
  return out
}

/** dW contribution of images n0 … n1−1, as a [kh·kw·ci, co] matrix. */
function chunkGradient(backend: BackendWasm, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo, n0: number, n1: number): Info {
  const { outHeight, outWidth, outChannels, filterHeight, filterWidth, inChannels } = info
  const taps = filterHeight * filterWidth * inChannels
  const pixels = (n1 - n0) * outHeight * outWidth
  const patches = backend.makeOutput([taps, pixels], 'float32')
  fillPatches(heapF32(backend, patches), heapF32(backend, x), info, n0, n1)
  // A fresh copy of dy, never dy itself: the backend caches the packed right-hand operand of a
  // matrix product by tensor id alone, so a reshaped view of a tensor used elsewhere could pick up
  // an operator built for another shape.
  const dyChunk =
    n0 === 0 && n1 === info.batchSize
      ? runWasmKernel(backend, tf.Identity, { x: dy })
      : runWasmKernel(backend, tf.Slice, { x: dy }, { begin: [n0, 0, 0, 0], size: [n1 - n0, outHeight, outWidth, outChannels] })
  const dyRows = runWasmKernel(backend, tf.Reshape, { x: dyChunk }, { shape: [pixels, outChannels] })
  release(backend, dyChunk)
  try {
    return runWasmKernel(backend, tf.BatchMatMul, { a: patches, b: dyRows }, { transposeA: false, transposeB: false })
  } finally {
    release(backend, patches, dyRows)
  }
}

/**
 * The transposed im2col matrix: row (kh·kw_count + kw)·ci_count + ci holds, for every output
 * pixel (n, oh, ow), the input under that tap (0 in the padding). Filled one output row at a
 * time so the input rows read stay in cache.
 */
function fillPatches(dst: Float32Array, src: Float32Array, info: tf.backend_util.Conv2DInfo, n0: number, n1: number): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info
  const { top, left } = info.padInfo
  const pixels = (n1 - n0) * outHeight * outWidth
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const col = ((n - n0) * outHeight + oh) * outWidth
      for (let kh = 0; kh < filterHeight; kh++) {
        const ih = oh * strideHeight + kh - top
        const rowBase = (n * inHeight + ih) * inWidth
        for (let kw = 0; kw < filterWidth; kw++) {
          for (let ci = 0; ci < inChannels; ci++) {
            let d = ((kh * filterWidth + kw) * inChannels + ci) * pixels + col
            if (ih < 0 || ih >= inHeight) {
              dst.fill(0, d, d + outWidth)
              continue
            }
            for (let ow = 0, iw = kw - left; ow < outWidth; ow++, d++, iw += strideWidth) {
              dst[d] = iw >= 0 && iw < inWidth ? src[(rowBase + iw) * inChannels + ci] : 0
            }
          }
        }
      }
    }
  }
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc
}
