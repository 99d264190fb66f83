/**
 * A perceptual reconstruction term (DFC-VAE, Hou et al. 2017; normalised as LPIPS): how far the
 * early features of a pretrained face net are between an image and its reconstruction. Pixel
 * losses forgive a blur that moves every edge a little; feature differences do not.
 *
 * The net is the first two dense blocks of face-api's 68-point landmark net (its weights ship in
 * the npm package's model/ folder, read from disk with no download), built here as a plain tfjs
 * function with frozen weights, so gradients flow to the reconstruction only. Never the
 * face-recognition net: that one is the studio's yardstick for samples, and training on it would
 * make the yardstick lie.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import * as tf from '../tf'

const landmarkNet = 'face_landmark_68_model'

/** face-api's input normalisation for this net: (RGB − mean) / 255. */
const meanRgb = [122.782, 117.001, 104.298]

type Weights = Record<string, tf.Tensor>

/** The net's weights on one backend instance, and tensors derived from them (see firstConv). */
let loaded: { backend: tf.KernelBackend; weights: Weights; derived: Map<string, tf.Tensor> } | null = null

function modelFolder(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model')
}

/** The landmark net's weights whose names pass `keep`, dequantised, on the current backend. */
export function readLandmarkWeights(keep: (name: string) => boolean): Weights {
  const folder = modelFolder()
  const manifest = JSON.parse(readFileSync(path.join(folder, `${landmarkNet}-weights_manifest.json`), 'utf8')) as tf.io.WeightsManifestConfig
  const joined = Buffer.concat(manifest.flatMap((group) => group.paths.map((p) => readFileSync(path.join(folder, p)))))
  const specs = manifest.flatMap((group) => group.weights)
  const all = tf.io.decodeWeights(joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.length), specs)
  const kept: Weights = {}
  for (const [name, tensor] of Object.entries(all)) {
    if (keep(name)) kept[name] = tensor
    else tensor.dispose()
  }
  return kept
}

/**
 * The weights of dense0 and dense1, read synchronously (100 kB of the file) so the objective can
 * be built inside a training step; kept per backend instance.
 */
function weights(): Weights {
  if (loaded?.backend === tf.backend()) return loaded.weights
  releasePerceptualNet()
  // Kept: the first call usually comes inside a training step's tidy.
  const kept = readLandmarkWeights((name) => name.startsWith('dense0/') || name.startsWith('dense1/'))
  Object.values(kept).forEach((t) => tf.keep(t))
  loaded = { backend: tf.backend(), weights: kept, derived: new Map() }
  return kept
}

/** Frees the net's weights (tests count tensors; a backend switch reloads them). */
export function releasePerceptualNet(): void {
  if (loaded) tf.dispose([...Object.values(loaded.weights), ...loaded.derived.values()])
  loaded = null
}

function separable(x: tf.Tensor4D, w: Weights, prefix: string, stride: number): tf.Tensor4D {
  const out = tf.separableConv2d(x, w[`${prefix}/depthwise_filter`] as tf.Tensor4D, w[`${prefix}/pointwise_filter`] as tf.Tensor4D, stride, 'same')
  return tf.add(out, w[`${prefix}/bias`])
}

/**
 * face-api's denseBlock4: four convolutions, each fed the sum of the ones before (stride 2 first;
 * the first block opens with a plain convolution, whose output the caller may pass as `conv0`).
 */
export function denseBlock(x: tf.Tensor4D, w: Weights, block: string, first: boolean, conv0?: tf.Tensor4D): tf.Tensor4D {
  conv0 ??= first ? tf.add(tf.conv2d(x, w[`${block}/conv0/filters`] as tf.Tensor4D, 2, 'same'), w[`${block}/conv0/bias`]) : separable(x, w, `${block}/conv0`, 2)
  const out1 = tf.relu(conv0) as tf.Tensor4D
  const out2 = separable(out1, w, `${block}/conv1`, 1)
  const out3 = separable(tf.relu(tf.add(out1, out2)) as tf.Tensor4D, w, `${block}/conv2`, 1)
  const out4 = separable(tf.relu(tf.add(out1, tf.add(out2, out3))) as tf.Tensor4D, w, `${block}/conv3`, 1)
  return tf.relu(tf.add(out1, tf.add(out2, tf.add(out3, out4)))) as tf.Tensor4D
}

/** A tensor derived once from the weights (per image shape), kept with them. */
function derived(key: string, make: () => tf.Tensor): tf.Tensor {
  const cache = loaded!.derived
  if (!cache.has(key)) cache.set(key, tf.keep(tf.tidy(make)))
  return cache.get(key)!
}

/**
 * The first convolution on (x − mean) / 255 without building that input: the filter is linear, so
 * it is conv(x, filter) minus conv(mean image, filter), the second computed once per size (it is
 * not a constant near the border, where 'same' pads zeros). Grey images use the filter summed
 * over its RGB inputs, so nothing is tiled to three channels (whose gradient was a slow slice).
 */
function firstConv(images: tf.Tensor4D, w: Weights): tf.Tensor4D {
  const [, height, width, channels] = images.shape
  const filters = w['dense0/conv0/filters'] as tf.Tensor4D
  const filter = channels === 1 ? (derived('grey-filter', () => tf.sum(filters, 2, true)) as tf.Tensor4D) : filters
  const meanImage = derived(`mean-response-${height}x${width}`, () =>
    tf.conv2d(tf.mul(tf.ones([1, height, width, 3]), tf.tensor1d(meanRgb.map((m) => m / 255))) as tf.Tensor4D, filters, 2, 'same')
  )
  return tf.add(tf.sub(tf.conv2d(images, filter, 2, 'same'), meanImage), w['dense0/conv0/bias']) as tf.Tensor4D
}

/** Features of images in [0, 1] (grey or RGB, NHWC): the two blocks' outputs at ½ and ¼ of the size. */
export function perceptualFeatures(images: tf.Tensor4D): tf.Tensor4D[] {
  const w = weights()
  const dense0 = denseBlock(images, w, 'dense0', true, firstConv(images, w))
  return [dense0, denseBlock(dense0, w, 'dense1', false)]
}

/** Each position's feature vector scaled to unit length (LPIPS), so no channel's scale dominates. */
function unitFeatures(f: tf.Tensor4D): tf.Tensor4D {
  return tf.div(f, tf.add(tf.sqrt(tf.sum(tf.square(f), 3, true)), 1e-10))
}

/**
 * Per image, shape [N]: Σ over the two blocks of the mean over positions of ‖f̂(x) − f̂(x̂)‖²,
 * times the image's pixel count, so that like the pixel losses it is a sum over the image and a
 * weight of 1 puts it on their scale.
 */
export function perceptualPerImage(x: tf.Tensor4D, reconstruction: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const real = perceptualFeatures(x)
    const fake = perceptualFeatures(reconstruction)
    const perLayer = real.map((f, i) => tf.mean(tf.sum(tf.squaredDifference(unitFeatures(f), unitFeatures(fake[i])), 3), [1, 2]))
    return tf.mul(tf.addN(perLayer), x.shape[1] * x.shape[2]) as tf.Tensor1D
  })
}
