/**
 * Nearest-neighbour ×2 upsampling followed by a 3×3 'same' convolution, run as the one stride-2
 * 4×4 transposed convolution it equals (Odena et al. 2016's resize-convolution, without the
 * resize pass).
 *
 * Why: the studio's first decoder used stride-2 3×3 transposed convolutions, a kernel the stride
 * does not divide, so output pixels of different parity sum different numbers of taps; the first
 * block's period-2 pattern then grows into 16-px seams through the later blocks. Upsampling by
 * copying pixels and then convolving gives every output phase the same total weight (a constant
 * input gives a constant output whatever the kernel), so no checkerboard can be learned.
 *
 * The trainable kernel is the free 3×3 one, kept like a transposed convolution's ([kh, kw, out,
 * in], taps in transposed order); per axis the equivalent 4×4 taps for output offsets −1, 0, 1, 2
 * around 2i are [v0, v0 + v1, v1 + v2, v2], i.e. the 3×3 kernel convolved with a 2×2 box. That
 * costs 16 multiply-adds per input pixel and channel pair where upsample-then-convolve costs 36.
 * In upsample-then-conv2d terms the conv2d kernel is this kernel flipped in both spatial axes
 * with its channel axes swapped (tested against tf.layers.upSampling2d + conv2d).
 */
import * as tf from '../tf'

/**
 * The 4×4 transposed-convolution kernel equal to nearest ×2 + the 3×3 kernel `v` ([3, 3, out,
 * in]): per axis v's taps convolved with the 2-tap box [1, 1].
 */
export function upsampleKernel(v: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const shifted = (top: number, left: number): tf.Tensor4D =>
      tf.pad(v, [
        [top, 1 - top],
        [left, 1 - left],
        [0, 0],
        [0, 0]
      ])
    return tf.addN([shifted(0, 0), shifted(0, 1), shifted(1, 0), shifted(1, 1)])
  })
}

export interface UpsampleConv2DArgs {
  filters: number
  name?: string
  /** For deserialisation; built layers get theirs from `build`. */
  inputShape?: number[]
}

export class UpsampleConv2D extends tf.layers.layers.Layer {
  static readonly className = 'VaeStudioUpsampleConv2D'
  readonly filters: number
  private kernel: tf.layers.LayerVariable | null = null
  private bias: tf.layers.LayerVariable | null = null

  constructor(args: UpsampleConv2DArgs) {
    super(args)
    this.filters = args.filters
  }

  override build(inputShape: tf.layers.Shape | tf.layers.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.layers.Shape
    const inChannels = shape[3]
    if (inChannels === null) throw new Error('UpsampleConv2D needs a known number of input channels')
    // Placeholders: VaeModel draws every weight from its own seeded generator.
    this.kernel = this.addWeight('kernel', [3, 3, this.filters, inChannels], 'float32', tf.layers.initializers.glorotUniform({}))
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.layers.initializers.zeros())
    this.built = true
  }

  override computeOutputShape(inputShape: tf.layers.Shape | tf.layers.Shape[]): tf.layers.Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.layers.Shape
    return [n, h === null ? null : 2 * h, w === null ? null : 2 * w, this.filters]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D
      const [n, h, w] = x.shape
      const kernel = upsampleKernel(this.kernel!.read() as tf.Tensor4D)
      const y = tf.conv2dTranspose(x, kernel, [n, 2 * h, 2 * w, this.filters], 2, 'same')
      return tf.add(y, this.bias!.read())
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters }
  }
}

tf.serialization.registerClass(UpsampleConv2D)
