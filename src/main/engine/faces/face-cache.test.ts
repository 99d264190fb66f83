import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFaceCache, faceCacheVersion, loadFaceCache } from './face-cache'
import type { PhotoDetections } from './face-types'

const detections: PhotoDetections = {
  width: 800,
  height: 600,
  faces: [
    {
      box: { x: 10.123456, y: 20, width: 100, height: 120 },
      score: 0.912345678,
      landmarks: Array.from({ length: 68 }, (_, i) => [i + 0.123456, i * 2 + 0.987654] as [number, number]),
      age: 31.4159,
      gender: 'male',
      genderProbability: 0.87654321,
      expressions: { neutral: 0.9, happy: 0.05, sad: 0.01, angry: 0.01, fearful: 0.01, disgusted: 0.01, surprised: 0.01 },
      descriptor: Array.from({ length: 128 }, (_, i) => Math.sin(i) / 7)
    }
  ]
}

describe('face cache', () => {
  let dir = ''
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(tmpdir(), 'face-cache-'))
  })
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('answers what was stored, counts hits and misses, and keeps positions to 0.01 px', () => {
    const cache = createFaceCache()
    expect(cache.get('k')).toBeUndefined()
    cache.set('k', detections)
    const got = cache.get('k')!
    expect(got.faces[0].landmarks[1]).toEqual([1.12, 2.99])
    expect(got.faces[0].box.x).toBe(10.12)
    expect(got.faces[0].descriptor).toHaveLength(128)
    expect([cache.hits, cache.misses, cache.size, cache.changed]).toEqual([1, 1, 1, true])
  })

  it('does not keep photos that could not be decoded (a fixed decoder may read them later)', () => {
    const cache = createFaceCache()
    cache.set('bad', { width: 0, height: 0, faces: [], unreadable: 'not an image' })
    expect(cache.size).toBe(0)
  })

  it('saves atomically and loads back what it saved', async () => {
    const file = path.join(dir, 'faces.json')
    const cache = createFaceCache()
    cache.set('a', detections)
    await cache.save(file)
    expect(cache.changed).toBe(false)
    // A second save replaces the file whole and leaves no temp file behind.
    cache.set('b', { width: 5, height: 5, faces: [] })
    await cache.save(file)
    expect(await fs.readdir(dir)).toEqual(['faces.json'])
    const loaded = await loadFaceCache(file)
    expect(loaded.size).toBe(2)
    expect(loaded.get('a')).toEqual(cache.get('a'))
    expect(loaded.changed).toBe(false)
  })

  it('starts empty when there is no file, or one from another version or other nets', async () => {
    expect((await loadFaceCache(path.join(dir, 'none.json'))).size).toBe(0)
    const older = path.join(dir, 'older.json')
    await fs.writeFile(older, JSON.stringify({ version: faceCacheVersion - 1, nets: 'face-api@1.7.15', entries: { a: detections } }))
    const fromOlder = await loadFaceCache(older)
    expect([fromOlder.size, fromOlder.problem]).toEqual([0, undefined])
    const otherNets = path.join(dir, 'other.json')
    await fs.writeFile(otherNets, JSON.stringify({ version: faceCacheVersion, nets: 'face-api@0.0.1', entries: { a: detections } }))
    expect((await loadFaceCache(otherNets)).size).toBe(0)
    expect((await fs.readdir(dir)).sort()).toEqual(['older.json', 'other.json'])
  })

  it('sets a damaged file aside under a dated name and starts empty, saying why', async () => {
    const saved = createFaceCache()
    saved.set('a', detections)
    const good = path.join(dir, 'good.json')
    await saved.save(good)
    const body = JSON.parse(await fs.readFile(good, 'utf8'))
    const face = body.entries.a.faces[0]
    const cases: Array<[string, string, RegExp]> = [
      ['not-json', '{"version": 2, "entr', /not valid JSON/],
      ['null', 'null', /not hold a JSON object/],
      [
        'no-landmarks',
        JSON.stringify({ ...body, entries: { a: { ...body.entries.a, faces: [{ ...face, landmarks: [] }] } } }),
        /landmarks/
      ],
      [
        'infinite',
        JSON.stringify({ ...body, entries: { a: { ...body.entries.a, faces: [{ ...face, score: 1 }] } } }).replace(
          '"score":1',
          '"score":1e999'
        ),
        /score: .*Infinity/
      ],
      ['no-faces', JSON.stringify({ ...body, entries: { a: { width: 10, height: 10 } } }), /faces/]
    ]
    const now = new Date('2026-03-01T22:40:01.500Z')
    for (const [name, text, why] of cases) {
      const file = path.join(dir, `${name}.json`)
      await fs.writeFile(file, text)
      const loaded = await loadFaceCache(file, now)
      expect(loaded.size).toBe(0)
      expect(loaded.problem).toMatch(why)
      expect(loaded.problem).toContain(`set aside as ${name}.damaged-2026-03-01T22-40-01.json`)
      expect(await fs.readFile(path.join(dir, `${name}.damaged-2026-03-01T22-40-01.json`), 'utf8')).toBe(text)
      await expect(fs.stat(file)).rejects.toThrow(/ENOENT/)
    }
    // The good file next to them is read as it was.
    expect((await loadFaceCache(good)).get('a')).toEqual(saved.get('a'))
  })
})
