/**
 * The face finder end to end, through real worker threads and the real nets, on "wild" photos
 * built from the ORL faces with known eye positions (test/fixtures/faces/wild-photos.ts).
 * Skipped, with one printed line, where the ORL set is not on the machine.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { faceSet } from '../../../../test/support/datasets'
import { buildWildPhotos, type TruthFace, type WildPhoto } from '../../../../test/fixtures/faces/wild-photos'
import { applyAffine, framings } from './alignment'
import { createFaceCache } from './face-cache'
import { createFaceFinder, type FaceFinder } from './face-finder'
import type { AlignedFace, PhotoFaces, Point } from './face-types'
import { referenceWarp } from '../../../../test/fixtures/faces/reference-warp'

const orl = faceSet('orl_faces')

/** Where a truth eye lands in the crop, against where the framing wants it, in crop pixels. */
function eyeErrorInCrop(face: AlignedFace, truth: TruthFace, size: number, framing: keyof typeof framings = 'tight'): number {
  const { eyeDistance, eyeY } = framings[framing]
  const left = applyAffine(face.transform, truth.eyes.left)
  const right = applyAffine(face.transform, truth.eyes.right)
  return Math.max(
    Math.hypot(left[0] - (size / 2 - (eyeDistance * size) / 2), left[1] - eyeY * size),
    Math.hypot(right[0] - (size / 2 + (eyeDistance * size) / 2), right[1] - eyeY * size)
  )
}

/** Eye error in the photo, in eye distances. */
function eyeError(face: AlignedFace, truth: TruthFace): number {
  const d = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1])
  return Math.max(d(face.eyes.left, truth.eyes.left), d(face.eyes.right, truth.eyes.right)) / truth.eyeDistance
}

/** The found face nearest to a truth face (by eye error), if any is near. */
function match(result: PhotoFaces, truth: TruthFace): AlignedFace | undefined {
  const ranked = [...result.faces].sort((a, b) => eyeError(a, truth) - eyeError(b, truth))
  return ranked[0] && eyeError(ranked[0], truth) < 0.5 ? ranked[0] : undefined
}

function meanAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

describe.skipIf(!orl)('face finder on wild photos', () => {
  let photos: WildPhoto[] = []
  let finder: FaceFinder
  const photo = (name: string): WildPhoto => photos.find((p) => p.name === name)!

  beforeAll(async () => {
    finder = createFaceFinder({ workers: 2 })
    ;[photos] = await Promise.all([buildWildPhotos(orl!), finder.ready()])
  }, 240_000)

  afterAll(async () => {
    await finder?.close()
  })

  it('finds every face, and nothing else, and aligns each with its eyes where the transform says', async () => {
    const results = await Promise.all(photos.map((p) => finder.findFaces(p.bytes, { size: 128 })))
    photos.forEach((p, i) => {
      const result = results[i]
      expect([result.width, result.height], p.name).toEqual([p.width, p.height])
      if (p.name === 'cut') return // see its own test
      const wanted = p.faces.filter((f) => !f.tiny)
      const matched = wanted.map((truth) => match(result, truth))
      matched.forEach((face, j) => {
        expect(face, `${p.name}: face ${j} (${wanted[j].file}) found`).toBeDefined()
        expect(eyeError(face!, wanted[j]), `${p.name}: face ${j} eyes in the photo`).toBeLessThan(0.15)
        expect(eyeErrorInCrop(face!, wanted[j], 128), `${p.name}: face ${j} eyes in the crop`).toBeLessThan(4.5)
        expect(face!.image).toMatchObject({ width: 128, height: 128, channels: 3 })
        expect(face!.landmarks).toHaveLength(68)
        expect(face!.age).toBeGreaterThan(5)
        expect(face!.genderProbability).toBeGreaterThanOrEqual(0.5)
        expect(Object.values(face!.expressions).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3)
      })
      // Nothing but the pasted faces (a tiny one may or may not be found).
      expect(result.faces.length, `${p.name}: faces found`).toBeGreaterThanOrEqual(wanted.length)
      expect(result.faces.length, `${p.name}: faces found`).toBeLessThanOrEqual(p.faces.length)
      if (p.faces.length === 0) expect(result).toMatchObject({ faces: [], skipped: [], reason: 'no face found' })
    })
  }, 240_000)

  it('cuts out the pixels the transform points at, upright, whatever the file (EXIF, grey, CMYK, PNG, 6000×4000)', async () => {
    for (const name of ['one-tilted', 'exif-6', 'exif-8', 'exif-3', 'grey', 'cmyk', 'png-alpha', 'huge']) {
      const p = photo(name)
      const result = await finder.findFaces(p.bytes, { size: 64 })
      for (const face of result.faces) {
        const expected = referenceWarp(p.upright, face.transform, 64, 4)
        expect(meanAbs(face.image.pixels, expected), `${name}: crop against the upright photo`).toBeLessThan(name === 'cmyk' ? 14 : 8)
      }
    }
  }, 240_000)

  it('reports a face cut by the border, its eyes found, what lies outside the photo black or repeated', async () => {
    const p = photo('cut')
    const truth = p.faces[0]
    for (const padding of ['black', 'edge'] as const) {
      const result = await finder.findFaces(p.bytes, { detector: 'ssd', size: 64, padding })
      const face = match(result, truth)
      expect(face, 'found').toBeDefined()
      expect(eyeError(face!, truth)).toBeLessThan(0.3)
      // Crop column 0 at eye height lies left of the photo.
      const outside = applyAffine(face!.transform, [-5, truth.eyes.left[1]])
      expect(outside[0]).toBeGreaterThan(1)
      const leftColumn = Array.from({ length: 20 }, (_, y) => face!.image.pixels[((22 + y) * 64 + 0) * 3])
      if (padding === 'black') expect(Math.max(...leftColumn)).toBe(0)
      else expect(Math.min(...leftColumn)).toBeGreaterThan(0)
    }
  }, 120_000)

  it('skips faces below minFaceSize, or all but the largest, with reasons', async () => {
    const tiny = await finder.findFaces(photo('tiny').bytes, { minFaceSize: 60 })
    expect(tiny.faces).toHaveLength(1)
    expect(tiny.faces[0].box.width).toBeGreaterThan(150)
    for (const skipped of tiny.skipped) expect(skipped.reason).toMatch(/^face too small: \d+×\d+ px, eyes \d+ px apart \(minimum 60 px\)$/)
    const none = await finder.findFaces(photo('one-noise').bytes, { minFaceSize: 1000 })
    expect(none.faces).toEqual([])
    expect(none.reason).toMatch(/^no face kept: face too small: \d+×\d+ px/)
    const two = photo('two')
    const largest = await finder.findFaces(two.bytes, { which: 'largest' })
    expect(largest.faces).toHaveLength(1)
    expect(match(largest, two.faces[1])).toBeDefined() // the 220-px face, not the 150-px one
    expect(largest.skipped).toMatchObject([{ reason: 'not the largest face in the photo' }])
  }, 120_000)

  it('makes 32, 64 and 128 px crops, grey or colour, tight or with the hair', async () => {
    const p = photo('one-tilted')
    for (const size of [32, 64, 128] as const) {
      for (const channels of [1, 3] as const) {
        const result = await finder.findFaces(p.bytes, { size, channels })
        expect(result.faces[0].image).toMatchObject({ width: size, height: size, channels })
        expect(result.faces[0].image.pixels).toHaveLength(size * size * channels)
      }
    }
    const hair = await finder.findFaces(p.bytes, { size: 128, framing: 'face-and-hair' })
    expect(eyeErrorInCrop(hair.faces[0], p.faces[0], 128, 'face-and-hair')).toBeLessThan(3.5)
  }, 120_000)

  it('takes decoded pixels as well as file bytes, and works without sharp (@napi-rs/image decodes)', async () => {
    const p = photo('exif-6')
    const fromBytes = await finder.findFaces(p.bytes)
    const { data, info } = await sharp(p.bytes).rotate().raw().toBuffer({ resolveWithObject: true })
    const fromPixels = await finder.findFaces({ pixels: new Uint8Array(data), width: info.width, height: info.height, channels: 3 })
    expect(fromPixels.faces).toHaveLength(1)
    expect(Math.abs(fromPixels.faces[0].eyes.left[0] - fromBytes.faces[0].eyes.left[0])).toBeLessThan(1)
    const withoutSharp = createFaceFinder({ workers: 1, decoder: 'napi' })
    try {
      const result = await withoutSharp.findFaces(p.bytes)
      expect([result.width, result.height]).toEqual([p.width, p.height])
      expect(eyeError(result.faces[0], p.faces[0])).toBeLessThan(0.15)
    } finally {
      await withoutSharp.close()
    }
  }, 120_000)

  it('runs no net for a photo it has seen (same bytes, same detection options), whatever the crop asked for', async () => {
    const cache = createFaceCache()
    const cached = createFaceFinder({ workers: 1, cache })
    try {
      const p = photo('two')
      const first = await cached.findFaces(p.bytes, { size: 64 })
      const analysed = (await cached.stats())[0].photosAnalysed
      const again = await cached.findFaces(p.bytes, { size: 128, framing: 'face-and-hair', channels: 1 })
      expect([first.cached, again.cached]).toEqual([false, true])
      expect((await cached.stats())[0].photosAnalysed).toBe(analysed)
      expect(again.faces.map((f) => f.box.x)).toEqual(first.faces.map((f) => Math.round(f.box.x * 100) / 100))
      expect(again.faces[0].image).toMatchObject({ width: 128, channels: 1 })
      // Another detector is another question: the nets run.
      const other = await cached.findFaces(p.bytes, { inputSize: 320 })
      expect(other.cached).toBe(false)
      expect((await cached.stats())[0].photosAnalysed).toBe(analysed + 1)
      expect([cache.hits, cache.misses, cache.size]).toEqual([1, 2, 2])
      // Landmarks known from elsewhere (the dataset index): aligned again, no net runs.
      const known = first.faces.map(({ image: _image, transform: _transform, eyes: _eyes, ...detected }) => detected)
      const realigned = await cached.alignFaces(p.bytes, known, { size: 64 })
      expect(realigned.cached).toBe(true)
      expect(realigned.faces.map((f) => f.transform)).toEqual(first.faces.map((f) => f.transform))
      expect(realigned.faces.map((f) => Array.from(f.image.pixels))).toEqual(first.faces.map((f) => Array.from(f.image.pixels)))
      expect((await cached.stats())[0].photosAnalysed).toBe(analysed + 1)
    } finally {
      await cached.close()
    }
  }, 120_000)

  it('leaves no tensor behind in the workers', async () => {
    const sample = ['two', 'exif-6', 'grey', 'cut', 'tiny', 'no-face-room'].map(photo)
    // Every net used below is loaded first (loading adds its weights, which stay).
    await Promise.all(sample.map((p) => finder.findFaces(p.bytes, { descriptors: true })))
    // Four at once: each worker takes two, so both load SSD.
    await Promise.all(sample.slice(0, 4).map((p) => finder.findFaces(p.bytes, { detector: 'ssd' })))
    const before = (await finder.stats()).map((s) => s.numTensors)
    await Promise.all(sample.map((p) => finder.findFaces(p.bytes, { descriptors: true, size: 128 })))
    await Promise.all(sample.map((p) => finder.findFaces(p.bytes, { detector: 'ssd', size: 32 })))
    const after = (await finder.stats()).map((s) => s.numTensors)
    expect(after).toEqual(before)
  }, 240_000)

  it('stops work when cancelled', async () => {
    const controller = new AbortController()
    const analysed = async (): Promise<number> => (await finder.stats()).reduce((sum, s) => sum + s.photosAnalysed, 0)
    const start = await analysed()
    const queue = Array.from({ length: 24 }, (_, i) => photos[i % photos.length]).map((p) =>
      finder.findFaces(p.bytes, { minScore: 0.39 }, controller.signal)
    )
    const outcomes = queue.map((request) =>
      request.then(
        () => 'done',
        (err: { code?: string }) => err.code
      )
    )
    await Promise.race(queue)
    controller.abort()
    const settled = await Promise.all(outcomes)
    expect(settled.filter((o) => o === 'cancelled').length).toBeGreaterThan(12)
    expect(settled.every((o) => o === 'done' || o === 'cancelled')).toBe(true)
    // Two workers hold at most two photos each: little more than that ran after the abort.
    expect((await analysed()) - start).toBeLessThan(12)
    expect((await finder.findFaces(photo('one-noise').bytes)).faces).toHaveLength(1)
  }, 120_000)

  it('surfaces a worker that dies mid-photo and goes on with a new one', async () => {
    const p = photo('four')
    const requests = Array.from({ length: 6 }, () => finder.findFaces(p.bytes))
    const outcomes = requests.map((request) =>
      request.then(
        () => 'done',
        (err: Error) => err.message
      )
    )
    await new Promise((r) => setTimeout(r, 30))
    finder.crashOneWorker()
    const settled = await Promise.all(outcomes)
    expect(settled.some((o) => /a face worker exited with code 1 while working on this request/.test(o))).toBe(true)
    expect(settled.filter((o) => o === 'done').length).toBeGreaterThan(0)
    const after = await finder.findFaces(p.bytes)
    expect(after.faces).toHaveLength(4)
    await finder.ready()
    expect(await finder.stats()).toHaveLength(2)
  }, 120_000)

  it('gives 128-d descriptors on which two photos of one person are nearer than photos of two people', async () => {
    const files = ['orl_s01_02', 'orl_s01_03', 'orl_s02_02', 'orl_s02_03', 'orl_s03_02', 'orl_s03_03', 'orl_s04_02', 'orl_s04_03']
    const specs = files.map((file, i) => ({
      name: file,
      width: 400,
      height: 400,
      scene: 'room' as const,
      faces: [{ at: [0.5, 0.5] as [number, number], width: 180, angle: i * 3 - 10, file: `${file}.png` }]
    }))
    const portraits = await buildWildPhotos(orl!, specs, 3)
    const crops = []
    for (const portrait of portraits) {
      const result = await finder.findFaces(portrait.bytes, { size: 128, descriptors: true, detector: 'tiny-then-ssd' })
      expect(result.faces, portrait.name).toHaveLength(1)
      expect(result.faces[0].descriptor).toHaveLength(128)
      crops.push(result.faces[0].image)
    }
    const descriptors = await finder.describeAlignedFaces(crops)
    expect(descriptors.map((d) => d.length)).toEqual(Array(8).fill(128))
    const distance = (a: Float32Array, b: Float32Array): number => Math.hypot(...a.map((v, i) => v - b[i]))
    let same = 0
    let other = 0
    for (let i = 0; i < 8; i++) {
      for (let j = i + 1; j < 8; j++) {
        if (Math.floor(i / 2) === Math.floor(j / 2)) same += distance(descriptors[i], descriptors[j]) / 4
        else other += distance(descriptors[i], descriptors[j]) / 24
      }
    }
    expect(same).toBeLessThan(other * 0.8)
  }, 120_000)
})
