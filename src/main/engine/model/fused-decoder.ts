/**
 * The decoder's forward pass for inference (canvas drags, sample grids, previews), with each
 * transposed convolution, its bias and the LeakyReLU after it run as one kernel where the backend
 * has one (wasm, see backend/wasm-kernels/fused-conv2d-transpose.ts). Elsewhere, or for a layer
 * this does not know, it is the layers model's own `apply`, so the result never depends on the
 * path taken beyond float rounding. Training does not come here: it needs the layers' gradients.
 * An upsample-conv layer runs as the 4×4 transposed convolution it equals, its kernel derived once
 * per weight version (a new kernel tensor per call would also defeat the wasm kernel's cache of
 * phase filters, which is keyed by the filter tensor).
 */
import * as tf from '../tf'
import { fusedConv2dTranspose, fusedConv2DTransposeKernel } from '../backend/wasm-kernels/fused-conv2d-transpose'
import { UpsampleConv2D, upsampleKernel } from './upsample-conv'

type Layer = tf.layers.LayersModel['layers'][number]
type Step = (h: tf.Tensor) => tf.Tensor

/** Per decoder, its steps, or null when some layer has no fused equivalent. */
const plans = new WeakMap<tf.layers.LayersModel, Step[] | null>()

export function decodeLogitsFused(decoder: tf.layers.LayersModel, z: tf.Tensor2D): tf.Tensor4D {
  const steps = tf.getKernel(fusedConv2DTransposeKernel, tf.getBackend()) === undefined ? null : planOf(decoder)
  if (steps === null) return decoder.apply(z) as tf.Tensor4D
  return tf.tidy(() => steps.reduce<tf.Tensor>((h, step) => step(h), z) as tf.Tensor4D)
}

function planOf(decoder: tf.layers.LayersModel): Step[] | null {
  if (!plans.has(decoder)) plans.set(decoder, plan(decoder.layers))
  return plans.get(decoder)!
}

/** Layers read their weights at call time, so a plan stays valid while training updates them. */
function plan(layers: Layer[]): Step[] | null {
  const steps: Step[] = []
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]
    const config = layer.getConfig()
    switch (layer.getClassName()) {
      case 'InputLayer':
        break
      case 'Dense':
        if (config.activation !== 'linear' || config.useBias !== true) return null
        steps.push((h) => {
          const [kernel, bias] = layer.getWeights()
          return tf.fused.matMul({ a: h as tf.Tensor2D, b: kernel as tf.Tensor2D, bias })
        })
        break
      case 'Reshape':
        steps.push((h) => tf.reshape(h, [h.shape[0], ...(config.targetShape as number[])]))
        break
      case 'Conv2DTranspose':
      case UpsampleConv2D.className: {
        const upsample = layer instanceof UpsampleConv2D
        if (!upsample && (config.activation !== 'linear' || config.useBias !== true || config.dataFormat !== 'channelsLast')) return null
        const next = layers[i + 1]
        const leakyAlpha = next?.getClassName() === 'LeakyReLU' ? (next.getConfig().alpha as number) : null
        if (leakyAlpha !== null) i++
        steps.push((h) => transposedBlock(layer, h as tf.Tensor4D, leakyAlpha))
        break
      }
      default:
        return null
    }
  }
  return steps
}

function transposedBlock(layer: Layer, x: tf.Tensor4D, leakyAlpha: number | null): tf.Tensor4D {
  const [kernel, bias] = layer.getWeights()
  const upsample = layer instanceof UpsampleConv2D
  const [, height, width, channels] = layer.computeOutputShape(x.shape) as number[]
  return fusedConv2dTranspose(x, upsample ? derivedKernel(layer, kernel as tf.Tensor4D) : (kernel as tf.Tensor4D), bias as tf.Tensor1D, {
    outputShape: [x.shape[0], height, width, channels],
    strides: upsample ? [2, 2] : (layer.getConfig().strides as [number, number]),
    pad: upsample ? 'same' : (layer.getConfig().padding as 'same' | 'valid'),
    activation: leakyAlpha === null ? 'linear' : 'leakyrelu',
    leakyreluAlpha: leakyAlpha ?? 0
  })
}

/** Per upsample-conv layer, its 4×4 kernel and the weight tensor (by data) it was derived from. */
const derived = new WeakMap<Layer, { source: object; kernel: tf.Tensor4D }>()

function derivedKernel(layer: Layer, kernel: tf.Tensor4D): tf.Tensor4D {
  const source = (kernel as unknown as { dataId: object }).dataId
  const hit = derived.get(layer)
  if (hit?.source === source && !hit.kernel.isDisposed) return hit.kernel
  hit?.kernel.dispose()
  const entry = { source, kernel: tf.keep(upsampleKernel(kernel)) }
  derived.set(layer, entry)
  return entry.kernel
}

/** Frees the derived kernels of a decoder's layers (call before disposing it, or to count tensors). */
export function releaseDerivedKernels(decoder: tf.layers.LayersModel): void {
  for (const layer of decoder.layers) {
    derived.get(layer)?.kernel.dispose()
    derived.delete(layer)
  }
}
