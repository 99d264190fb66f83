/**
 * The second look at the tiny detector's boxes: which landmarks fit a face, how SSD's boxes
 * confirm tiny ones (one each, best overlap first), and, with the ORL set, a contact sheet of 30
 * portraits tiled edge to edge: every face kept, none of the hair-and-background boxes that
 * straddle two portraits.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { faceSet } from '../../../../test/support/datasets'
import { buildTiledPhoto } from '../../../../test/fixtures/faces/tiled-photos'
import { createFaceFinder, type FaceFinder } from './face-finder'
import type { FaceBox, Point } from './face-types'
import { confirmWithSsd, doubtOf, landmarksFitAFace } from './second-look'
import type { Detection } from './tiny-detector'

/**
 * 68 points of a frontal face filling `box`: jaw along the sides and chin, brows, nose, eyes
 * a third of the box apart, mouth below them. `squeeze` shrinks them towards the box's top-left.
 */
function faceLandmarks(box: FaceBox, squeeze = 1): Point[] {
  const at = (u: number, v: number): Point => [box.x + u * box.width * squeeze, box.y + v * box.height * squeeze]
  const points: Point[] = []
  for (let i = 0; i < 17; i++) points.push(at(0.1 + (0.8 * i) / 16, 0.3 + 0.6 * Math.sin((Math.PI * i) / 16)))
  for (let i = 0; i < 10; i++) points.push(at(0.2 + 0.06 * i + (i >= 5 ? 0.04 : 0), 0.28))
  for (let i = 0; i < 9; i++) points.push(at(0.5, 0.35 + 0.03 * i))
  const eye = (cx: number): Point[] =>
    [0, 1, 2, 3, 4, 5].map((k) => at(cx + 0.06 * Math.cos((Math.PI * k) / 3), 0.38 + 0.02 * Math.sin((Math.PI * k) / 3)))
  points.push(...eye(0.33), ...eye(0.67))
  for (let i = 0; i < 20; i++) points.push(at(0.38 + (0.24 * (i % 12)) / 11, 0.72 + (i >= 12 ? 0.02 : 0)))
  return points
}

const box = (x: number, y: number, width = 100, height = 100): FaceBox => ({ x, y, width, height })
const detection = (b: FaceBox, score: number): Detection => ({ box: b, score })

describe('landmarks that fit a face', () => {
  it('fit when they fill the box, eyes a third of it apart and the mouth below them', () => {
    expect(faceLandmarks(box(0, 0))).toHaveLength(68)
    expect(landmarksFitAFace(box(0, 0), faceLandmarks(box(0, 0)))).toBe(true)
    expect(doubtOf(box(0, 0), 0.9, faceLandmarks(box(0, 0)), false)).toBeNull()
  })

  it('do not when squeezed into a corner of the box, or upside down', () => {
    expect(landmarksFitAFace(box(0, 0), faceLandmarks(box(0, 0), 0.4))).toBe(false)
    const flipped = faceLandmarks(box(0, 0)).map(([x, y]): Point => [x, 100 - y])
    expect(landmarksFitAFace(box(0, 0), flipped)).toBe(false)
    expect(doubtOf(box(0, 0), 0.9, flipped, false)).toBe('misfit')
  })

  it('doubts a low score, or a box cut through the middle by a seam, even when the landmarks fit', () => {
    expect(doubtOf(box(0, 0), 0.42, faceLandmarks(box(0, 0)), false)).toBe('low-score')
    expect(doubtOf(box(0, 0), 0.9, faceLandmarks(box(0, 0)), true)).toBe('low-score')
  })
})

describe('confirming tiny boxes with SSD', () => {
  it('gives each SSD box to the tiny box it overlaps most: a junk box half over a real face loses it', () => {
    const real = detection(box(0, 0), 0.9)
    const junk = detection(box(45, 0), 0.5)
    const ssd = [detection(box(2, 2), 0.95)]
    expect(confirmWithSsd([real, junk], [null, 'low-score'], ssd, 0.4)).toEqual({ kept: [0], added: [] })
    // Without the real face's own box the same overlap confirms the other one.
    expect(confirmWithSsd([junk], ['low-score'], ssd, 0.4).kept).toEqual([0])
  })

  it('drops boxes SSD sees nothing at; a misfit box needs SSD to be fairly sure', () => {
    const tiny = [detection(box(0, 0), 0.44), detection(box(300, 0), 0.6), detection(box(600, 0), 0.8)]
    const ssd = [detection(box(3, 0), 0.08), detection(box(305, 5), 0.1), detection(box(900, 0), 0.2)]
    expect(confirmWithSsd(tiny, ['low-score', 'misfit', null], ssd, 0.4)).toEqual({ kept: [0], added: [] })
  })

  it('adds the faces SSD finds that the tiny detector missed, once, at the import threshold', () => {
    const tiny = [detection(box(0, 0), 0.5)]
    const ssd = [detection(box(0, 5), 0.9), detection(box(400, 0), 0.97), detection(box(600, 0), 0.6), detection(box(800, 0), 0.3)]
    const { kept, added } = confirmWithSsd(tiny, ['low-score'], ssd, 0.4)
    expect(kept).toEqual([0])
    expect(added.map((d) => d.box.x)).toEqual([400, 600])
  })

  it('adds no SSD box over a kept face', () => {
    const tiny = [detection(box(0, 0), 0.9), detection(box(200, 0), 0.42)]
    const ssd = [detection(box(0, 0), 0.9), detection(box(20, 10), 0.8), detection(box(200, 0), 0.6)]
    expect(confirmWithSsd(tiny, [null, 'low-score'], ssd, 0.4)).toEqual({ kept: [0, 1], added: [] })
  })
})

const orl = faceSet('orl_faces')

describe.skipIf(!orl)('a contact sheet of portraits tiled edge to edge', () => {
  let finder: FaceFinder | undefined
  afterAll(() => finder?.close())

  it('keeps every face once and none of the boxes straddling two portraits', { timeout: 300_000 }, async () => {
    finder = createFaceFinder({ workers: 2 })
    for (const options of [{ seed: 1 }, { seed: 4, tile: 150, faceFraction: 0.75 }]) {
      const sheet = await buildTiledPhoto(orl!, options)
      const { faces } = await finder.findFaces(sheet.bytes, { size: 64 })
      const eyeError = (eyes: { left: Point; right: Point }, t: (typeof sheet.faces)[number]): number =>
        Math.max(
          Math.hypot(eyes.left[0] - t.eyes.left[0], eyes.left[1] - t.eyes.left[1]),
          Math.hypot(eyes.right[0] - t.eyes.right[0], eyes.right[1] - t.eyes.right[1])
        ) / t.eyeDistance
      const truthOf = faces.map((face) => sheet.faces.findIndex((t) => eyeError(face.eyes, t) < 0.5))
      expect(
        truthOf.filter((t) => t < 0),
        `seed ${options.seed}: boxes that are no face of the sheet`
      ).toEqual([])
      expect(new Set(truthOf).size, `seed ${options.seed}: faces found once each`).toBe(faces.length)
      expect(faces.length, `seed ${options.seed}: faces kept`).toBe(sheet.faces.length)
    }
  })
})
