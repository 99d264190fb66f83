/**
 * Sub-pixel convolution's rearrangement (Shi et al. 2016): [N, H, W, 4·C] → [N, 2H, 2W, C], channel
 * (dy·2 + dx)·C + c going to pixel (2y + dy, 2x + dx), as tf.depthToSpace(x, 2) does. Written with
 * reshape and transpose because tfjs has no gradient for DepthToSpace.
 */
import * as tf from '../tf'

export function pixelShuffle(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c4] = x.shape
    const c = c4 / 4
    const blocks = tf.reshape(x, [n, h, w, 2, 2, c])
    return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4, 5]), [n, 2 * h, 2 * w, c]) as tf.Tensor4D
  })
}

export class PixelShuffle extends tf.layers.layers.Layer {
  static readonly className = 'VaeStudioPixelShuffle'

  override computeOutputShape(inputShape: tf.layers.Shape | tf.layers.Shape[]): tf.layers.Shape {
    const [n, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.layers.Shape
    return [n, h === null ? null : 2 * h, w === null ? null : 2 * w, c === null ? null : c / 4]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return pixelShuffle((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D)
  }
}

tf.serialization.registerClass(PixelShuffle)
