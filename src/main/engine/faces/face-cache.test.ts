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

  it('starts empty when there is no file, a damaged one, or one from another version', async () => {
    expect((await loadFaceCache(path.join(dir, 'none.json'))).size).toBe(0)
    const damaged = path.join(dir, 'damaged.json')
    await fs.writeFile(damaged, '{"version": 1, "entr')
    expect((await loadFaceCache(damaged)).size).toBe(0)
    const older = path.join(dir, 'older.json')
    await fs.writeFile(older, JSON.stringify({ version: faceCacheVersion - 1, nets: 'face-api@1.7.15', entries: { a: detections } }))
    expect((await loadFaceCache(older)).size).toBe(0)
    const otherNets = path.join(dir, 'other.json')
    await fs.writeFile(otherNets, JSON.stringify({ version: faceCacheVersion, nets: 'face-api@0.0.1', entries: { a: detections } }))
    expect((await loadFaceCache(otherNets)).size).toBe(0)
  })
})
