import { describe, expect, it } from 'vitest'
import {
  alignmentTransform,
  applyAffine,
  composeAffine,
  eyeCentres,
  faceTransform,
  framings,
  invertAffine,
  sourcePixelsPerOutputPixel
} from './alignment'
import type { Affine, Point } from './face-types'

const close = (actual: Point, expected: Point, digits = 6): void => {
  expect(actual[0]).toBeCloseTo(expected[0], digits)
  expect(actual[1]).toBeCloseTo(expected[1], digits)
}

/** 68 points of a synthetic frontal face: eyes at the given centres, mouth corners below. */
function landmarksWith(left: Point, right: Point, mouthDrop = 1): Point[] {
  const points: Point[] = Array.from({ length: 68 }, () => [0, 0] as Point)
  const ring = (centre: Point, from: number): void => {
    for (let i = 0; i < 6; i++) {
      const a = (i / 6) * Math.PI * 2
      points[from + i] = [centre[0] + 3 * Math.cos(a), centre[1] + 1.5 * Math.sin(a)]
    }
  }
  ring(left, 36)
  ring(right, 42)
  const dx = right[0] - left[0]
  const dy = right[1] - left[1]
  const mid: Point = [(left[0] + right[0]) / 2, (left[1] + right[1]) / 2]
  // Perpendicular to the eye line, pointing "down" the face.
  const down: Point = [-dy * mouthDrop, dx * mouthDrop]
  points[48] = [mid[0] + down[0] - dx * 0.3, mid[1] + down[1] - dy * 0.3]
  points[54] = [mid[0] + down[0] + dx * 0.3, mid[1] + down[1] + dy * 0.3]
  return points
}

describe('face alignment', () => {
  it('puts the eye centres level, at the framing distance and height, for both framings and every size', () => {
    for (const framing of ['tight', 'face-and-hair'] as const) {
      for (const size of [32, 64, 128]) {
        const { eyeDistance, eyeY } = framings[framing]
        const m = alignmentTransform({ left: [310, 420], right: [385, 380] }, size, framing)
        close(applyAffine(m, [310, 420]), [size / 2 - (eyeDistance * size) / 2, eyeY * size])
        close(applyAffine(m, [385, 380]), [size / 2 + (eyeDistance * size) / 2, eyeY * size])
      }
    }
  })

  it('is a similarity: no shear, one scale on both axes', () => {
    const m = alignmentTransform({ left: [10, 50], right: [90, 20] }, 64, 'tight')
    expect(m[0]).toBeCloseTo(m[4], 12)
    expect(m[1]).toBeCloseTo(-m[3], 12)
    expect(sourcePixelsPerOutputPixel(m)).toBeCloseTo(Math.hypot(80, 30) / (0.34 * 64), 9)
  })

  it('turns an upside-down face (eyes swapped left to right) upright', () => {
    const m = alignmentTransform({ left: [200, 100], right: [100, 100] }, 64, 'tight')
    // A point below the eyes in the upside-down photo is above them in the crop.
    expect(applyAffine(m, [150, 150])[1]).toBeLessThan(framings.tight.eyeY * 64)
  })

  it('takes the eye centres as the mean of each eye’s six points', () => {
    const eyes = eyeCentres(landmarksWith([40, 60], [80, 58]))
    close(eyes.left, [40, 60])
    close(eyes.right, [80, 58])
    expect(() => eyeCentres([[0, 0]])).toThrow(/68 landmarks/)
  })

  it('scales a frontal face by its eyes, and a head turned aside by its eye-to-mouth distance (FFHQ)', () => {
    const frontal = faceTransform(landmarksWith([100, 100], [160, 100], 1), 64, 'tight')
    close(applyAffine(frontal, [100, 100]), [32 - 0.34 * 32, 0.42 * 64])
    // Eyes only 20 px apart but the mouth 60 px below them: the crop is not blown up threefold.
    const turned = faceTransform(landmarksWith([100, 100], [120, 100], 3), 64, 'tight')
    const perPixel = sourcePixelsPerOutputPixel(turned)
    expect(perPixel).toBeCloseTo((60 * 0.9) / (0.34 * 64), 6)
    const eyes = eyeCentres(landmarksWith([100, 100], [120, 100], 3))
    expect(applyAffine(turned, eyes.left)[1]).toBeCloseTo(applyAffine(turned, eyes.right)[1], 9)
  })

  it('inverts and composes affine maps', () => {
    const m: Affine = [1.5, -0.3, 12, 0.3, 1.5, -7]
    const p: Point = [17, -4]
    close(applyAffine(invertAffine(m), applyAffine(m, p)), p, 9)
    const n: Affine = [0.5, 0, 3, 0, 2, 1]
    close(applyAffine(composeAffine(m, n), p), applyAffine(m, applyAffine(n, p)), 9)
    expect(() => invertAffine([1, 2, 0, 2, 4, 0])).toThrow(/singular/)
    expect(() => alignmentTransform({ left: [5, 5], right: [5, 5] }, 64, 'tight')).toThrow(/coincide/)
  })
})
