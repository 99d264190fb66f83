/**
 * What an import decides by itself and says in its notices: grey folders stored as one channel
 * unless colour was chosen, folders of face crops imported whole, small portraits without a face
 * kept whole, copies of a photo counted once, a damaged face cache set aside; and no leak warning
 * however many photos are in flight. A fake face finder stands in for the nets (it "finds" one
 * face filling the middle of any photo wider than 40 px, and none in narrower ones), so these run
 * in seconds; face-import.test.ts runs the real nets.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultImportOptions, type ImportOptions } from '../../../shared/config'
import type { AlignedFace, FaceFinder, PhotoFaces, Point } from '../faces'
import { faceTransform } from '../faces/alignment'
import { decodePhoto } from '../faces/decode-photo'
import { tempDir } from '../../../../test/support/small-setup'
import { importFolder } from './import-folder'
import { openDataset } from './open-dataset'

const faces: ImportOptions = { ...defaultImportOptions, size: 32 }
const whole: ImportOptions = { ...faces, faces: { ...faces.faces, find: false } }

let root: string
beforeAll(async () => {
  root = await tempDir('import-choices')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

/** A folder of images made by `make(i)` (a sharp pipeline); returns its path. */
async function folderOf(name: string, count: number, make: (i: number) => Sharp, ext = 'png'): Promise<string> {
  const dir = path.join(root, name)
  await fs.mkdir(dir, { recursive: true })
  for (let i = 0; i < count; i++)
    await fs.writeFile(
      path.join(dir, `img-${String(i).padStart(3, '0')}.${ext}`),
      await make(i)
        .toFormat(ext as 'png')
        .toBuffer()
    )
  return dir
}

const flat = (width: number, height: number, rgb: [number, number, number]) =>
  sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })

/** A face finder without nets; counts its calls and, like the real pool, listens to the signal once per photo. */
function fakeFinder(): FaceFinder & { calls: number } {
  const fake = {
    calls: 0,
    workers: 1,
    async findFaces(photo: unknown, options: { size?: 32 | 64 | 128 } = {}, signal?: AbortSignal): Promise<PhotoFaces> {
      fake.calls++
      const onAbort = (): void => undefined
      signal?.addEventListener('abort', onAbort)
      try {
        const { bytes } = photo as { bytes: Uint8Array }
        const decoded = await decodePhoto(bytes, 1600)
        await new Promise((resolve) => setTimeout(resolve, 5))
        if ('reason' in decoded) return { width: 0, height: 0, faces: [], skipped: [], reason: decoded.reason, cached: false }
        const { fullWidth: width, fullHeight: height } = decoded
        if (width <= 40) return { width, height, faces: [], skipped: [], reason: 'no face found', cached: false }
        return { width, height, faces: [faceIn(width, height, options.size ?? 64)], skipped: [], cached: false }
      } finally {
        signal?.removeEventListener('abort', onAbort)
      }
    },
    alignFaces: () => Promise.reject(new Error('not faked')),
    describeAlignedFaces: () => Promise.reject(new Error('not faked')),
    expressAlignedFaces: () => Promise.reject(new Error('not faked')),
    ready: () => Promise.resolve(),
    stats: () => Promise.resolve([]),
    crashOneWorker: () => undefined,
    close: () => Promise.resolve()
  }
  return fake
}

/** A face whose eyes are 0.45 of the photo's width apart: it fills the frame. */
function faceIn(width: number, height: number, size: number): AlignedFace {
  const d = width * 0.45
  const left: Point = [width / 2 - d / 2, height * 0.4]
  const right: Point = [width / 2 + d / 2, height * 0.4]
  const landmarks: Point[] = Array.from({ length: 68 }, (_, i) =>
    i >= 36 && i < 42 ? left : i >= 42 && i < 48 ? right : [width / 2, height * 0.4 + d]
  )
  return {
    box: { x: 0, y: 0, width, height },
    score: 0.9,
    landmarks,
    eyes: { left, right },
    transform: faceTransform(landmarks, size, 'tight'),
    image: { width: size, height: size, channels: 3, pixels: new Uint8Array(size * size * 3).fill(120) },
    age: 30,
    gender: 'female',
    genderProbability: 0.9,
    expressions: { neutral: 1, happy: 0, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 }
  }
}

describe('colour left to the import', () => {
  it('stores a grey folder as one channel and says so; colour chosen keeps three', async () => {
    const grey = await folderOf('grey', 4, (i) => flat(40, 40, [60 + i * 30, 60 + i * 30, 60 + i * 30]).toColourspace('b-w'))
    const auto = await importFolder(grey, path.join(root, 'grey-auto'), whole)
    expect(auto.options?.channels).toBe(1)
    expect(auto.notices).toContain('Every image is grey: imported in grayscale (1 channel); choose Colour to keep 3 channels')
    const data = await openDataset(path.join(root, 'grey-auto'))
    expect([data.channels, data.images.length]).toEqual([1, 4 * 32 * 32])
    expect(data.images[0]).toBeGreaterThanOrEqual(59)
    expect(data.images[0]).toBeLessThanOrEqual(61)

    const colour = await importFolder(grey, path.join(root, 'grey-colour'), { ...whole, channels: 3 })
    expect([colour.options?.channels, colour.notices]).toEqual([3, undefined])
    expect((await openDataset(path.join(root, 'grey-colour'))).channels).toBe(3)
  })

  it('keeps colour when one image has it, however little', async () => {
    const mixed = await folderOf('mixed', 4, (i) => (i === 3 ? flat(40, 40, [120, 124, 120]) : flat(40, 40, [90 + i, 90 + i, 90 + i])))
    const result = await importFolder(mixed, path.join(root, 'mixed-out'), whole)
    expect([result.options?.channels, result.notices]).toEqual([3, undefined])
    expect((await openDataset(path.join(root, 'mixed-out'))).images.length).toBe(4 * 32 * 32 * 3)
  })
})

describe('folders of face crops', () => {
  it('imports a folder of one small size whole when its faces fill the frame, with no net beyond a sample', async () => {
    const crops = await folderOf('crops', 40, (i) => flat(64, 64, [100 + i, 100 + i, 100 + i]))
    const finder = fakeFinder()
    const result = await importFolder(crops, path.join(root, 'crops-out'), faces, { faceFinder: finder })
    expect(result.imported).toBe(40)
    expect(result.faces).toBeUndefined()
    expect(result.options?.faces.find).toBe(false)
    expect(result.notices).toContain('These look like face crops already (all 64×64, faces fill the frame): imported as they are')
    expect(finder.calls).toBe(16)
    const data = await openDataset(path.join(root, 'crops-out'))
    expect(data.files.every((e) => e.face === undefined)).toBe(true)
  })

  it('stops while looking at the sample when cancelled, writing nothing', async () => {
    const crops = await folderOf('crops-cancel', 20, (i) => flat(64, 64, [10 + i, 10 + i, 10 + i]))
    const controller = new AbortController()
    const out = path.join(root, 'crops-cancel-out')
    const attempt = importFolder(crops, out, faces, {
      faceFinder: fakeFinder(),
      signal: controller.signal,
      onProgress: () => controller.abort()
    })
    await expect(attempt).rejects.toThrow('import cancelled; the previous dataset is unchanged')
    await expect(fs.readdir(out)).rejects.toThrow(/ENOENT/)
  })

  it('keeps small portraits without a face found whole where most images are portraits; finds faces in the rest', async () => {
    const dir = await folderOf('portraits', 6, (i) => (i < 2 ? flat(36, 40, [200 + i, 120, 90]) : flat(150, 150, [180 + i, 110, 80])))
    await fs.writeFile(path.join(dir, 'group.jpg'), await flat(1200, 800, [90, 120, 150]).jpeg().toBuffer())
    const result = await importFolder(dir, path.join(root, 'portraits-out'), faces, { faceFinder: fakeFinder() })
    expect(result.imported).toBe(7)
    expect(result.faces).toMatchObject({ photos: 7, faces: 5, photosWithoutFace: 0, keptWhole: 2 })
    expect(result.notices).toContain('2 small portraits with no face found were imported whole, not aligned (img-000.png, img-001.png)')
    const data = await openDataset(path.join(root, 'portraits-out'))
    expect(data.files.filter((e) => e.status === 'imported' && !e.face).map((e) => e.file)).toEqual(['img-000.png', 'img-001.png'])
  })

  it('leaves photos without a face out where most images are photos', async () => {
    const dir = await folderOf('photos', 3, (i) => flat(900, 600, [80 + 20 * i, 100, 120]), 'jpg')
    await fs.writeFile(path.join(dir, 'thumb.png'), await flat(36, 36, [1, 2, 3]).png().toBuffer())
    const result = await importFolder(dir, path.join(root, 'photos-out'), faces, { faceFinder: fakeFinder() })
    expect(result.faces).toMatchObject({ photos: 4, faces: 3, photosWithoutFace: 1, keptWhole: 0 })
    expect(result.skipped).toEqual([{ file: 'thumb.png', reason: 'no face found' }])
  })
})

describe('copies and many photos at once', () => {
  it('counts a photo and its copy once, faces and images alike, and names the copy', async () => {
    const dir = await folderOf('copies', 20, (i) => flat(300, 200, [i * 10, 100, 50]), 'jpg')
    await fs.copyFile(path.join(dir, 'img-003.jpg'), path.join(dir, 'img-003x.jpg'))
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => void warnings.push(warning)
    process.on('warning', onWarning)
    const finder = fakeFinder()
    try {
      const result = await importFolder(dir, path.join(root, 'copies-out'), faces, {
        faceFinder: finder,
        signal: new AbortController().signal
      })
      expect(result).toMatchObject({ imported: 20, duplicates: 1, faces: { photos: 20, faces: 20 } })
      expect(finder.calls).toBe(20)
      const data = await openDataset(path.join(root, 'copies-out'))
      expect(data.files.find((e) => e.file === 'img-003x.jpg')).toMatchObject({
        status: 'duplicate',
        reason: 'duplicate of img-003.jpg'
      })
    } finally {
      process.off('warning', onWarning)
    }
    // 16 photos in flight, each listening to the import's signal, without a leak warning.
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
  })
})

describe('a damaged face cache', () => {
  it('is set aside with a dated name and the import goes on, saying so once', async () => {
    const dir = await folderOf('cache-photos', 3, (i) => flat(300, 200, [i * 40, 90, 90]), 'jpg')
    const cacheFile = path.join(root, 'faces-cache.json')
    await fs.writeFile(
      cacheFile,
      '{"version": 2, "nets": "face-api@1.7.15", "entries": {"abc:tiny": {"width": 5, "height": 5, "faces": [{"landmarks": []'
    )
    const result = await importFolder(dir, path.join(root, 'cache-out'), faces, { faceFinder: fakeFinder(), faceCacheFile: cacheFile })
    expect(result.imported).toBe(3)
    expect(result.notices?.filter((n) => n.includes('face cache'))).toEqual([
      expect.stringMatching(
        /^the face cache faces-cache\.json was damaged \(it is not valid JSON\); it was set aside as faces-cache\.damaged-.+\.json/
      )
    ])
    const aside = (await fs.readdir(root)).filter((name) => name.startsWith('faces-cache.damaged-'))
    expect(aside).toHaveLength(1)
  })
})
