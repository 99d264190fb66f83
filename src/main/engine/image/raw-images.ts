/** Conversions between image tensors / dataset rows and the transport's `RawImage`. */
import * as tf from '../tf'
import type { RawImage } from '../../../shared/images'

/** [N, S, S, C] floats in [0, 1] → one RawImage per row. Does not dispose `images`. */
export function tensorToRawImages(images: tf.Tensor4D): RawImage[] {
  const [n, height, width, channels] = images.shape
  const bytes = tf.tidy(() => tf.cast(tf.round(tf.mul(tf.clipByValue(images, 0, 1), 255)), 'int32')).dataSync() as Int32Array
  const len = height * width * channels
  return Array.from({ length: n }, (_, i) => ({ width, height, channels: channels as 1 | 3, pixels: Uint8Array.from(bytes.subarray(i * len, (i + 1) * len)) }))
}

export function datasetRowToRawImage(images: Uint8Array, index: number, size: number, channels: 1 | 3): RawImage {
  const len = size * size * channels
  return { width: size, height: size, channels, pixels: images.slice(index * len, (index + 1) * len) }
}
