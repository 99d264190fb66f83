/** Telling a folder of face crops from a folder of photos: by the images' sizes, then by a sample's faces. */
import { describe, expect, it } from 'vitest'
import { faceTransform } from '../faces/alignment'
import type { AlignedFace, PhotoFaces, Point } from '../faces'
import { keepsUndetectedPortraits, mayBeCropFolder, sampleIndices, summariseShapes, wholeFilesVerdict } from './crop-folder'

/** A photo with one face: eye centres at (x ± d/2, y), turned by `tiltDeg`, aligned at 64 px. */
function photoWithFace(width: number, height: number, eyes: { x: number; y: number; d: number; tiltDeg?: number }): PhotoFaces {
  const angle = ((eyes.tiltDeg ?? 0) * Math.PI) / 180
  const dx = (Math.cos(angle) * eyes.d) / 2
  const dy = (Math.sin(angle) * eyes.d) / 2
  const left: Point = [eyes.x - dx, eyes.y - dy]
  const right: Point = [eyes.x + dx, eyes.y + dy]
  // Six points per eye around its centre, the mouth 1.1 eye distances below; the rest unused.
  const landmarks: Point[] = Array.from({ length: 68 }, () => [eyes.x, eyes.y + eyes.d * 1.1] as Point)
  for (let k = 0; k < 6; k++) {
    landmarks[36 + k] = [left[0], left[1]]
    landmarks[42 + k] = [right[0], right[1]]
  }
  const face = {
    landmarks,
    eyes: { left, right },
    transform: faceTransform(landmarks, 64, 'tight'),
    image: { width: 64, height: 64, channels: 3, pixels: new Uint8Array(0) }
  } as unknown as AlignedFace
  return { width, height, faces: [face], skipped: [], cached: false }
}

const noFace = (width: number, height: number): PhotoFaces => ({
  width,
  height,
  faces: [],
  skipped: [],
  reason: 'no face found',
  cached: false
})

describe('the sizes of a folder', () => {
  it('say one small size throughout may be crops; mixed or large sizes are photos', () => {
    const olivetti = summariseShapes(Array.from({ length: 400 }, () => ({ width: 64, height: 64 })))
    expect(olivetti).toEqual({ read: 400, common: { width: 64, height: 64 }, small: 400 })
    expect(mayBeCropFolder(olivetti, 401)).toBe(true)
    const lfw = summariseShapes(Array.from({ length: 50 }, () => ({ width: 250, height: 250 })))
    expect(mayBeCropFolder(lfw, 50)).toBe(false)
    const mixed = summariseShapes([{ width: 150, height: 150 }, { width: 150, height: 150 }, { width: 1366, height: 768 }, null])
    expect(mixed).toEqual({ read: 3, common: null, small: 2 })
    expect(mayBeCropFolder(mixed, 4)).toBe(false)
    expect(keepsUndetectedPortraits(mixed)).toBe(true)
    expect(
      keepsUndetectedPortraits(
        summariseShapes([
          { width: 150, height: 150 },
          { width: 2000, height: 1500 },
          { width: 4000, height: 3000 }
        ])
      )
    ).toBe(false)
    // Unreadable sizes count against a folder being all crops.
    expect(mayBeCropFolder(summariseShapes([{ width: 64, height: 64 }, null, null]), 3)).toBe(false)
  })

  it('are sampled evenly through the folder', () => {
    expect(sampleIndices(5, 16)).toEqual([0, 1, 2, 3, 4])
    expect(sampleIndices(400, 4)).toEqual([50, 150, 250, 350])
  })
})

describe('a sample of a uniform folder', () => {
  const sample = (make: (i: number) => PhotoFaces): PhotoFaces[] => Array.from({ length: 16 }, (_, i) => make(i))

  it('says to import whole when faces fill the frame (aligning would invent the border)', () => {
    expect(wholeFilesVerdict(sample(() => photoWithFace(64, 64, { x: 32, y: 17, d: 30 })))).toBe('faces fill the frame')
  })

  it('says to import whole when faces are too small to align, or mostly not found', () => {
    expect(wholeFilesVerdict(sample(() => photoWithFace(60, 60, { x: 30, y: 25, d: 9 })))).toBe('faces too small to align')
    expect(wholeFilesVerdict(sample((i) => (i < 6 ? photoWithFace(112, 112, { x: 56, y: 50, d: 36 }) : noFace(112, 112))))).toBe(
      'faces found in only 6 of 16 sampled'
    )
  })

  it('says to import whole when the faces are already level and in one place', () => {
    expect(wholeFilesVerdict(sample((i) => photoWithFace(120, 120, { x: 60 + (i % 3), y: 52, d: 38, tiltDeg: (i % 3) - 1 })))).toBe(
      'faces already aligned'
    )
  })

  it('says to find faces when they are off-centre or tilted and aligning keeps them inside the picture', () => {
    const orlLike = sample((i) => photoWithFace(92, 112, { x: 36 + 3 * (i % 7), y: 45 + 2 * (i % 5), d: 32, tiltDeg: -6 + (i % 4) * 4 }))
    expect(wholeFilesVerdict(orlLike)).toBeNull()
  })
})
