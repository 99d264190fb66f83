/**
 * Importing a folder of photos as people have them (faces off-centre, tilted, several per photo,
 * EXIF-turned, grey, CMYK, none at all) with face finding: one aligned row per face, each with its
 * record in the index; photos without a face listed with why; a second import (other size) from
 * the detection cache; excluding faces and whole photos; labels turned into attribute groups.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultImportOptions, type ImportOptions } from '../../../shared/config'
import { faceSet } from '../../../../test/support/datasets'
import { buildWildPhotos, wildPhotoSpecs, type WildPhoto } from '../../../../test/fixtures/faces/wild-photos'
import { loadFaceCache } from '../faces'
import { tempDir } from '../../../../test/support/small-setup'
import { excludedReason, excludeRows } from './exclude-rows'
import { faceDetail } from './face-detail'
import { labelGroups } from './face-labels'
import { importFolder } from './import-folder'
import { openDataset } from './open-dataset'

const orl = faceSet('orl_faces')
const names = ['one-noise', 'two', 'three', 'exif-6', 'grey', 'cmyk', 'tiny', 'no-face-noise', 'no-face-shoe']
const options: ImportOptions = { ...defaultImportOptions, size: 32, channels: 3, faces: { ...defaultImportOptions.faces, minFaceSize: 60 } }
let root: string
let folder: string
let photos: WildPhoto[]

beforeAll(async () => {
  if (!orl) return
  root = await tempDir('face-import')
  folder = path.join(root, 'photos')
  await fs.mkdir(folder)
  photos = await buildWildPhotos(
    orl,
    wildPhotoSpecs.filter((s) => names.includes(s.name))
  )
  for (const photo of photos) await fs.writeFile(path.join(folder, `${photo.name}.${photo.format === 'png' ? 'png' : 'jpg'}`), photo.bytes)
  await fs.writeFile(path.join(folder, 'notes.txt'), 'not a photo')
}, 120_000)
afterAll(() => root && fs.rm(root, { recursive: true, force: true }))

describe.skipIf(!orl)('face import', () => {
  it('imports every face as an aligned row and says what became of each photo', { timeout: 300_000 }, async () => {
    const out = path.join(root, 'dataset')
    const cacheFile = path.join(root, 'faces-cache.json')
    const events: Array<{ faces?: number; etaSec?: number }> = []
    const result = await importFolder(folder, out, options, { faceCacheFile: cacheFile, onProgress: (p) => events.push(p) })
    const bigFaces = photos.flatMap((p) => p.faces.filter((f) => !f.tiny))
    expect(result.imported).toBe(bigFaces.length)
    expect(result.faces).toMatchObject({ photos: names.length, faces: bigFaces.length, photosWithoutFace: 2, mostlyNoFaces: false })
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { file: 'no-face-noise.jpg', reason: 'no face found' },
        { file: 'no-face-shoe.jpg', reason: 'no face found' },
        { file: 'notes.txt', reason: 'not an image' }
      ])
    )
    expect(events.at(-1)?.faces).toBe(bigFaces.length)

    const data = await openDataset(out)
    expect(data).toMatchObject({ version: 2, count: bigFaces.length, size: 32, channels: 3 })
    const rows = data.files.filter((e) => e.status === 'imported')
    expect(
      rows
        .filter((e) => e.file === 'three.jpg')
        .map((e) => e.face?.n)
        .sort()
    ).toEqual([0, 1, 2])
    for (const { face } of rows) {
      expect(face?.landmarks).toHaveLength(68)
      expect(face?.transform).toHaveLength(6)
      expect(face?.expressions?.happy).toBeGreaterThanOrEqual(0)
      expect(face?.age).toBeGreaterThan(0)
    }

    // Another size from the same photos: the cache knows them, so no net runs again.
    const cached = await loadFaceCache(cacheFile)
    expect(cached.size).toBe(names.length)
    const again = await importFolder(folder, path.join(root, 'dataset-64'), { ...options, size: 64 }, { faceCacheFile: cacheFile })
    expect(again.imported).toBe(bigFaces.length)
  })

  it('shows a face in its source photo, and leaves out faces or whole photos the user excludes', { timeout: 120_000 }, async () => {
    const out = path.join(root, 'dataset')
    const data = await openDataset(out)
    const first = data.files.find((e) => e.file === 'two.jpg' && e.status === 'imported' && e.face?.n === 0)!
    const detail = await faceDetail(data, first.index!)
    expect(detail.file).toBe('two.jpg')
    expect(Math.max(detail.photo.width, detail.photo.height)).toBeLessThanOrEqual(640)
    expect(detail.faces.map((f) => f.row).sort()).toEqual(
      data.files
        .filter((e) => e.file === 'two.jpg' && e.status === 'imported')
        .map((e) => e.index)
        .sort()
    )
    expect(detail.labels?.expressions.neutral).toBeGreaterThanOrEqual(0)

    const one = await excludeRows(data, path.join(root, 'excluded-one'), [first.index!], false)
    expect(one.imported).toBe(data.count - 1)
    expect(one.skipped).toContainEqual({ file: 'two.jpg', reason: excludedReason })
    const whole = await excludeRows(data, path.join(root, 'excluded-photo'), [first.index!], true)
    expect(whole.imported).toBe(data.count - 2)
    const left = await openDataset(path.join(root, 'excluded-photo'))
    expect(left.files.filter((e) => e.file === 'two.jpg').map((e) => e.status)).toEqual(['skipped', 'skipped'])
  })

  it('starts from an empty cache when the saved one is damaged, setting it aside and saying so', { timeout: 300_000 }, async () => {
    // The cache the first test saved, hand-damaged the way that blocked imports: faces without landmarks.
    const cacheFile = path.join(root, 'faces-cache.json')
    const saved = JSON.parse(await fs.readFile(cacheFile, 'utf8')) as {
      entries: Record<string, { faces: Array<{ landmarks: unknown[] }> }>
    }
    for (const entry of Object.values(saved.entries)) for (const face of entry.faces) face.landmarks = []
    await fs.writeFile(cacheFile, JSON.stringify(saved))
    const result = await importFolder(folder, path.join(root, 'dataset-after-damage'), options, { faceCacheFile: cacheFile })
    const bigFaces = photos.flatMap((p) => p.faces.filter((f) => !f.tiny))
    expect(result.imported).toBe(bigFaces.length)
    expect(result.notices).toEqual([
      expect.stringMatching(
        /^the face cache faces-cache\.json was damaged \(entry .+ › landmarks: .+\); it was set aside as faces-cache\.damaged-/
      )
    ])
    expect((await fs.readdir(root)).filter((n) => n.startsWith('faces-cache.damaged-'))).toHaveLength(1)
    // The new cache is whole again: a third import reads it without a word.
    expect((await loadFaceCache(cacheFile)).size).toBe(photos.length)
    const third = await importFolder(folder, path.join(root, 'dataset-third'), options, { faceCacheFile: cacheFile })
    expect(third.notices).toBeUndefined()
  })

  it('counts two copies of a photo once: one photo, its faces, one duplicate', { timeout: 120_000 }, async () => {
    const copies = path.join(root, 'copies')
    await fs.mkdir(copies)
    const two = photos.find((p) => p.name === 'two')!
    await fs.writeFile(path.join(copies, 'a.jpg'), two.bytes)
    await fs.writeFile(path.join(copies, 'b.jpg'), two.bytes)
    const result = await importFolder(copies, path.join(root, 'copies-out'), options)
    expect(result).toMatchObject({ imported: 2, duplicates: 1, faces: { photos: 1, faces: 2, photosWithoutFace: 0 } })
  })

  it('says so when most photos have no face', { timeout: 120_000 }, async () => {
    const shoes = path.join(root, 'shoes')
    await fs.mkdir(shoes)
    const noFace = photos.filter((p) => p.faces.length === 0)
    for (const photo of noFace) await fs.writeFile(path.join(shoes, `${photo.name}.jpg`), photo.bytes)
    await fs.writeFile(path.join(shoes, 'a-face.jpg'), photos.find((p) => p.name === 'one-noise')!.bytes)
    const result = await importFolder(shoes, path.join(root, 'shoes-out'), options)
    expect(result.faces).toMatchObject({ photos: noFace.length + 1, faces: 1, mostlyNoFaces: true })
    await fs.rm(path.join(shoes, 'a-face.jpg'))
    await expect(importFolder(shoes, path.join(root, 'none-out'), options)).rejects.toThrow(/no faces found .*face finding off/)
  })
})

describe('face labels', () => {
  const entry = (index: number, happy: number, age: number, gender: 'male' | 'female') => ({
    file: `f${index}.jpg`,
    status: 'imported' as const,
    index,
    face: {
      n: 0,
      box: { x: 0, y: 0, width: 1, height: 1 },
      score: 1,
      age,
      gender,
      genderProbability: 0.9,
      expressions: { happy, neutral: 1 - happy }
    }
  })
  const happiness = [0.9, 0.95, 0.85, 0.1, 0.05, 0.15, 0.5, 0.5, 0.6, 0.4, 0.3, 0.7]
  const files = happiness.map((happy, i) => entry(i, happy, 20 + i * 5, i % 2 ? 'female' : 'male'))

  it('splits smiling from not smiling, older from younger (quarters), female from male', () => {
    expect(labelGroups(files, 'happy')).toMatchObject({ withIndices: [0, 1, 2], withoutIndices: [3, 4, 5] })
    expect(labelGroups(files, 'age')).toMatchObject({ withIndices: [9, 10, 11], withoutIndices: [0, 1, 2] })
    expect(labelGroups(files, 'gender')).toMatchObject({ withIndices: [1, 3, 5, 7, 9, 11], withoutIndices: [0, 2, 4, 6, 8, 10] })
  })

  it('refuses groups too small to mean anything, and datasets without labels', () => {
    expect(() => labelGroups(files.slice(0, 5), 'happy')).toThrow(
      /too few faces for "smiling" \(happy ≥ 0.8 against ≤ 0.2\): 3 with and 2 without/
    )
    expect(() => labelGroups([{ file: 'a.jpg', status: 'imported', index: 0 }], 'happy')).toThrow(/no face labels/)
  })
})
