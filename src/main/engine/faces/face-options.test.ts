import { describe, expect, it } from 'vitest'
import { defaultAlignOptions, defaultDetectOptions, detectionKey, resolveFaceOptions } from './face-options'
import { selectFaces } from './select-faces'
import type { DetectedFace } from './face-types'

describe('face options', () => {
  it('fills in the defaults and ignores undefined fields', () => {
    expect(resolveFaceOptions({ size: 128, framing: undefined })).toEqual({ ...defaultDetectOptions, ...defaultAlignOptions, size: 128 })
  })

  it('refuses a bad value with a message naming the field and what it accepts', () => {
    expect(() => resolveFaceOptions({ size: 96 as 64 })).toThrow(/face option size must be 32, 64 or 128, got 96/)
    expect(() => resolveFaceOptions({ detector: 'yolo' as 'tiny' })).toThrow(/detector must be 'tiny', 'ssd' or 'tiny-then-ssd'/)
    expect(() => resolveFaceOptions({ minScore: 2 })).toThrow(/minScore/)
    expect(() => resolveFaceOptions({ minFaceSize: -1 })).toThrow(/minFaceSize/)
    expect(() => resolveFaceOptions({ inputSize: 400 as 416 })).toThrow(/inputSize/)
  })

  it('keys the cache by content and detection options, never by alignment options', () => {
    const base = detectionKey('abc', resolveFaceOptions())
    for (const align of [
      { size: 128 },
      { framing: 'face-and-hair' },
      { channels: 1 },
      { minFaceSize: 80 },
      { which: 'largest' },
      { padding: 'black' }
    ] as const) {
      expect(detectionKey('abc', resolveFaceOptions(align))).toBe(base)
    }
    for (const detect of [
      { inputSize: 320 },
      { detector: 'ssd' },
      { minScore: 0.6 },
      { maxSide: 1024 },
      { landmarkNet: 'tiny' },
      { descriptors: true }
    ] as const) {
      expect(detectionKey('abc', resolveFaceOptions(detect))).not.toBe(base)
    }
    expect(detectionKey('abd', resolveFaceOptions())).not.toBe(base)
    // SSD has no input size: changing it does not change what SSD finds.
    expect(detectionKey('abc', resolveFaceOptions({ detector: 'ssd', inputSize: 320 }))).toBe(
      detectionKey('abc', resolveFaceOptions({ detector: 'ssd' }))
    )
  })
})

function face(x: number, width: number, eyeDistance: number): DetectedFace {
  const landmarks = Array.from({ length: 68 }, () => [0, 0] as [number, number])
  for (let i = 36; i < 42; i++) landmarks[i] = [x + width / 2 - eyeDistance / 2, 50]
  for (let i = 42; i < 48; i++) landmarks[i] = [x + width / 2 + eyeDistance / 2, 50]
  return {
    box: { x, y: 10, width, height: width * 1.1 },
    score: 0.9,
    landmarks,
    age: 30,
    gender: 'female',
    genderProbability: 0.9,
    expressions: { neutral: 1, happy: 0, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 }
  }
}

describe('selectFaces', () => {
  it('skips faces smaller than minFaceSize with a reason naming their size', () => {
    const small = face(0, 40, 14)
    const big = face(100, 120, 45)
    const { kept, skipped } = selectFaces([small, big], { minFaceSize: 64, which: 'all' })
    expect(kept).toEqual([big])
    expect(skipped).toEqual([{ box: small.box, score: 0.9, reason: 'face too small: 40×44 px, eyes 14 px apart (minimum 64 px)' }])
  })

  it("keeps only the largest face with which: 'largest', saying why the others were left out", () => {
    const faces = [face(0, 90, 30), face(100, 150, 50), face(300, 60, 20)]
    const { kept, skipped } = selectFaces(faces, { minFaceSize: 0, which: 'largest' })
    expect(kept).toEqual([faces[1]])
    expect(skipped.map((s) => s.reason)).toEqual(['not the largest face in the photo', 'not the largest face in the photo'])
  })
})
