/**
 * The pixel side of alignment, on face-api's own tfjs (wasm), as the face worker runs it. This
 * test file runs in its own process, so loading face-api here touches no other test's tfjs.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { invertAffine } from './alignment'
import type { Affine } from './face-types'
import { loadFaceNets, type TfModule } from './face-nets'
import { regionTensor, type RgbImage } from './rgb-region'
import { referenceWarp as reference } from '../../../../test/fixtures/faces/reference-warp'
import { toPixels, warpRegion } from './warp-face'

let tf: TfModule

beforeAll(async () => {
  tf = (await loadFaceNets()).tf
})

function image(width: number, height: number, value: (x: number, y: number, c: number) => number): RgbImage {
  const pixels = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = value(x, y, c)
  return { pixels, width, height }
}

/** A textured but band-limited picture (nothing finer than ~12 px), different per channel. */
const smooth = (x: number, y: number, c: number): number =>
  Math.round(127 + 60 * Math.sin(x / (7 + c) + y / 11) + 50 * Math.cos((x - 2 * y) / (13 - c)))

/** Scale about a photo point, turn by `degrees`, put that point at the crop centre. */
function similarity(scale: number, degrees: number, centre: [number, number], size: number): Affine {
  const a = (degrees * Math.PI) / 180
  const cos = Math.cos(a) * scale
  const sin = Math.sin(a) * scale
  return [cos, sin, size / 2 - (cos * centre[0] + sin * centre[1]), -sin, cos, size / 2 - (-sin * centre[0] + cos * centre[1])]
}

const meanAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

describe('regionTensor', () => {
  it('cuts a region and averages k×k blocks exactly', () => {
    const photo = image(9, 7, (x, y, c) => x * 20 + y * 3 + c)
    const t = regionTensor(tf, photo, { x0: 1, y0: 2, x1: 7, y1: 6 }, 2)
    expect(t.shape).toEqual([2, 3, 3])
    const values = t.dataSync()
    t.dispose()
    // Block (row 0, col 0) covers x 1–2, y 2–3: mean of x*20 = 30, of y*3 = 7.5.
    expect(values[0]).toBeCloseTo(30 + 7.5, 5)
    expect(values[(1 * 3 + 2) * 3 + 1]).toBeCloseTo(5.5 * 20 + 4.5 * 3 + 1, 5)
  })
})

describe('warpRegion', () => {
  it('copies pixels exactly under a whole-pixel shift', () => {
    const photo = image(80, 60, smooth)
    const out = warpRegion(tf, photo, [1, 0, -10, 0, 1, -20], 32, 'edge')
    const values = out.dataSync()
    out.dispose()
    let worst = 0
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++)
        for (let c = 0; c < 3; c++)
          worst = Math.max(worst, Math.abs(values[(y * 32 + x) * 3 + c] - photo.pixels[((y + 20) * 80 + x + 10) * 3 + c]))
    expect(worst).toBeLessThan(0.01)
  })

  it('matches a supersampled reference when turning and shrinking 1×, 2.5× and 6×', () => {
    for (const shrink of [1, 2.5, 6]) {
      const m = similarity(1 / shrink, 20, [450, 430], 64)
      // Placement: a ramp has no detail to blur, so any error is a misplaced sample.
      const ramp = image(900, 900, (x, y, c) => Math.round((x * 0.2 + y * 0.05 + c * 10) % 256))
      const placed = warpRegion(tf, ramp, m, 64, 'edge')
      expect(meanAbs(placed.dataSync(), reference(ramp, m, 64)), `ramp, shrink ${shrink}`).toBeLessThan(0.1)
      placed.dispose()
      // Sampling: texture as fine relative to the crop at every shrink (periods of 7–13 crop pixels).
      const textured = image(900, 900, (x, y, c) => smooth(x / shrink, y / shrink, c))
      const out = warpRegion(tf, textured, m, 64, 'edge')
      expect(meanAbs(out.dataSync(), reference(textured, m, 64)), `texture, shrink ${shrink}`).toBeLessThan(1)
      out.dispose()
    }
  })

  it('does not alias fine detail when shrinking (the block average runs first)', () => {
    // One-pixel stripes: any honest 8× reduction is flat grey.
    const stripes = image(800, 800, (x) => (x % 2) * 255)
    const out = warpRegion(tf, stripes, similarity(1 / 8, 7, [400, 400], 64), 64, 'edge')
    const values = Array.from(out.dataSync())
    out.dispose()
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const spread = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)
    expect(mean).toBeCloseTo(127.5, -1)
    expect(spread).toBeLessThan(12)
    // Plain bilinear sampling of the same stripes (what the pre-shrink avoids) is far from flat.
    const naive = tf.tidy(() => {
      const inv = invertAffine(similarity(1 / 8, 7, [400, 400], 64))
      const t = tf.tensor4d(Float32Array.from(stripes.pixels), [1, 800, 800, 3])
      const row = [inv[0], inv[1], (inv[0] + inv[1]) / 2 + inv[2] - 0.5, inv[3], inv[4], (inv[3] + inv[4]) / 2 + inv[5] - 0.5, 0, 0]
      return Array.from(tf.image.transform(t, tf.tensor2d([row]), 'bilinear', 'nearest', 0, [64, 64]).dataSync())
    })
    const naiveSpread = Math.sqrt(naive.reduce((a, b) => a + (b - mean) ** 2, 0) / naive.length)
    expect(naiveSpread).toBeGreaterThan(3 * spread)
  })

  it("fills what lies outside the photo with black or with the edge's pixels", () => {
    const photo = image(40, 40, () => 200)
    // The crop's left half lies left of the photo.
    const m: Affine = [1, 0, 20, 0, 1, 0]
    for (const [padding, expected] of [
      ['black', 0],
      ['edge', 200]
    ] as const) {
      const out = warpRegion(tf, photo, m, 32, padding)
      const values = out.dataSync()
      out.dispose()
      expect(values[(16 * 32 + 5) * 3], padding).toBeCloseTo(expected, 3)
      expect(values[(16 * 32 + 28) * 3], padding).toBeCloseTo(200, 3)
    }
  })

  it('gives grey crops as Rec. 601 luma, rounded and clipped to bytes', () => {
    const t = tf.tensor3d([300, 0, 0, 0, 100, 0, 10.4, 10.4, 10.4], [1, 3, 3])
    const rgb = toPixels(tf, t, 3)
    const grey = toPixels(tf, t, 1)
    t.dispose()
    expect(Array.from(rgb)).toEqual([255, 0, 0, 0, 100, 0, 10, 10, 10])
    expect(Array.from(grey)).toEqual([90, 59, 10])
  })
})

describe('the face worker’s Concat kernel', () => {
  it('concatenates like tfjs on every axis and shape it may meet', () => {
    const cases: [number[][], number][] = [
      [
        [
          [2, 5, 5, 1],
          [2, 5, 5, 1],
          [2, 5, 5, 1]
        ],
        3
      ],
      [
        [
          [3, 4],
          [3, 2]
        ],
        1
      ],
      [
        [
          [3, 4],
          [5, 4]
        ],
        0
      ],
      [
        [
          [2, 3, 40],
          [2, 3, 1]
        ],
        2
      ],
      [
        [
          [1, 1, 1, 1],
          [1, 1, 1, 1]
        ],
        -1
      ]
    ]
    for (const [shapes, axis] of cases) {
      const inputs = shapes.map((shape, k) =>
        tf.tensor(
          Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 10 + k),
          shape
        )
      )
      const out = tf.concat(inputs, axis)
      const expected = concatArrays(
        inputs.map((t) => t.arraySync()),
        axis < 0 ? shapes[0].length + axis : axis
      )
      expect(out.arraySync(), `${JSON.stringify(shapes)} on ${axis}`).toEqual(expected)
      tf.dispose([...inputs, out])
    }
  })
})

function concatArrays(arrays: unknown[], axis: number): unknown {
  if (axis === 0) return (arrays as unknown[][]).flat(1)
  return (arrays[0] as unknown[]).map((_, i) =>
    concatArrays(
      (arrays as unknown[][]).map((a) => a[i]),
      axis - 1
    )
  )
}
