/**
 * `Sum` over the leading axes of a float32 tensor, which is how every bias gradient of an NHWC
 * convolution is reduced ([n, h, w, c] → [c]). tfjs-backend-wasm first transposes the whole
 * tensor to put those axes last (1.3 to 3 times slower here); summing rows in place needs no copy.
 */
import * as tf from '../../tf'
import { withFastPath, type KernelArgs } from './fast-path'
import { heapF32, type Info } from './wasm-ops'

export function sumConfig(native: tf.KernelConfig): tf.KernelConfig {
  return withFastPath(native, ({ inputs, backend, attrs }: KernelArgs<tf.SumAttrs>) => {
    const x = inputs.x as Info
    if (x.dtype !== 'float32') return null
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b)
    const leading = axes.length < x.shape.length && axes.every((axis, i) => axis === i)
    if (!leading) return null
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length))
    const keptShape = x.shape.slice(axes.length)
    const width = tf.util.sizeFromShape(keptShape)
    const outShape = attrs.keepDims ? [...axes.map(() => 1), ...keptShape] : keptShape
    const out = backend.makeOutput(outShape, 'float32')
    const src = heapF32(backend, x)
    const dst = heapF32(backend, out)
    const acc = new Float64Array(width)
    for (let r = 0, o = 0; r < rows; r++, o += width) {
      for (let c = 0; c < width; c++) acc[c] += src[o + c]
    }
    dst.set(acc)
    return out
  })
}
