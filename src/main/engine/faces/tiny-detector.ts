/**
 * face-api's tiny face detector on a rectangle instead of a square. face-api pads every photo to
 * a square before its input side, so a 4:3 photo spends a quarter of the net's work (the
 * detector is ~70 % of a photo's time) on black padding. The net is fully convolutional (stride
 * 32), so here the photo keeps its shape: longer side at the input size, shorter side rounded up
 * to a multiple of 32. Boxes are decoded as face-api decodes them (same anchors, sigmoid scores,
 * non-maximum suppression at IoU 0.4).
 */
import type { FaceBox } from './face-types'
import type { LoadedNets } from './face-nets'
import { regionTensor, type RgbImage } from './rgb-region'
import type * as Tf from '@tensorflow/tfjs'

const stride = 32
const iouThreshold = 0.4
const meanRgb = [117.001, 114.697, 97.404]
/** Box encoding per anchor: x, y, w, h, score. */
const encoding = 5

export interface Detection {
  box: FaceBox
  score: number
}

export async function detectTiny(nets: LoadedNets, image: RgbImage, inputSize: number, minScore: number): Promise<Detection[]> {
  const { tf, faceapi } = nets
  const net = faceapi.nets.tinyFaceDetector
  const anchors = net.anchors
  const { width, height } = image
  const scale = inputSize / Math.max(width, height)
  // Big photos are block-averaged first (no aliasing, less to resize); k·⌊w/k⌋ pixels remain.
  const k = Math.max(1, Math.floor(1 / scale))
  const keptWidth = Math.floor(width / k) * k
  const keptHeight = Math.floor(height / k) * k
  const inWidth = Math.max(1, Math.round(keptWidth * scale))
  const inHeight = Math.max(1, Math.round(keptHeight * scale))
  const padWidth = Math.ceil(inWidth / stride) * stride
  const padHeight = Math.ceil(inHeight / stride) * stride
  type NetTensor = Parameters<typeof net.runMobilenet>[0]
  const pooled = regionTensor(tf, image, { x0: 0, y0: 0, x1: width, y1: height }, k)
  let output: Tf.Tensor4D
  try {
    output = tf.tidy((): Tf.Tensor4D => {
      let x = tf.image.resizeBilinear(pooled, [inHeight, inWidth], false, true)
      // Padded with black before normalising, as face-api pads.
      x = tf.pad(x, [
        [0, padHeight - inHeight],
        [0, padWidth - inWidth],
        [0, 0]
      ])
      const normalised = tf.div(tf.sub(x, tf.tensor1d(meanRgb)), 255).expandDims(0) as Tf.Tensor4D
      const out = net.runMobilenet(normalised as unknown as NetTensor, net.params as Parameters<typeof net.runMobilenet>[1])
      return out as unknown as Tf.Tensor4D
    })
  } finally {
    pooled.dispose()
  }
  const [, rows, cols, channels] = output.shape
  const values = await output.data()
  output.dispose()
  const perCell = channels / encoding
  // Input pixels → photo pixels, per axis.
  const backX = keptWidth / inWidth
  const backY = keptHeight / inHeight
  const boxes: FaceBox[] = []
  const scores: number[] = []
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      for (let a = 0; a < perCell; a++) {
        const at = ((row * cols + col) * perCell + a) * encoding
        const score = sigmoid(values[at + 4])
        if (score <= minScore) continue
        const cx = (col + sigmoid(values[at])) * stride
        const cy = (row + sigmoid(values[at + 1])) * stride
        const w = Math.exp(values[at + 2]) * anchors[a].x * stride
        const h = Math.exp(values[at + 3]) * anchors[a].y * stride
        boxes.push({ x: (cx - w / 2) * backX, y: (cy - h / 2) * backY, width: w * backX, height: h * backY })
        scores.push(score)
      }
    }
  }
  // Unclipped: a face cut by the border keeps its full box (see analyse-photo.ts).
  return suppress(boxes, scores).map((i) => ({ box: boxes[i], score: scores[i] }))
}

/** Greedy non-maximum suppression: best first, dropping boxes overlapping a kept one by IoU > 0.4. */
export function suppress(boxes: FaceBox[], scores: number[]): number[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a])
  const kept: number[] = []
  for (const i of order) {
    if (kept.every((j) => iou(boxes[i], boxes[j]) <= iouThreshold)) kept.push(i)
  }
  return kept
}

export function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (w <= 0 || h <= 0) return 0
  const overlap = w * h
  return overlap / (a.width * a.height + b.width * b.height - overlap)
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v))
}
