import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { deferred, fakeStudio, settle } from '../../../../test/support/fake-studio'
import { ThumbnailCache, thumbnailPageSize } from './thumbnail-cache.svelte'

const image = (i: number): RawImage => ({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([i % 256]) })

describe('ThumbnailCache', () => {
  it('fetches each page once and serves images from it', async () => {
    const fake = fakeStudio({ datasetThumbnails: ({ from, count }) => Array.from({ length: count }, (_, k) => image(from + k)) })
    const cache = new ThumbnailCache(fake.api, (err) => {
      throw err
    })
    const total = thumbnailPageSize * 2 + thumbnailPageSize / 2
    cache.reset(total)
    cache.ensure(thumbnailPageSize - 10, thumbnailPageSize + 10)
    cache.ensure(thumbnailPageSize - 5, thumbnailPageSize + 5)
    await settle()
    expect(fake.callsOf('datasetThumbnails')).toEqual([
      { from: 0, count: thumbnailPageSize },
      { from: thumbnailPageSize, count: thumbnailPageSize }
    ])
    expect(cache.get(thumbnailPageSize + 3)?.pixels[0]).toBe((thumbnailPageSize + 3) % 256)
    expect(cache.get(total - 1)).toBeUndefined()
    cache.ensure(total - 5, total)
    await settle()
    expect(fake.callsOf('datasetThumbnails').at(-1)).toEqual({ from: thumbnailPageSize * 2, count: thumbnailPageSize / 2 })
  })

  it('holds a bounded number of pages while scrolling through 10,000 images', async () => {
    const fake = fakeStudio({ datasetThumbnails: ({ from, count }) => Array.from({ length: count }, (_, k) => image(from + k)) })
    const cache = new ThumbnailCache(fake.api, () => {})
    cache.reset(10_000)
    for (let from = 0; from < 10_000; from += 100) {
      cache.ensure(from, from + 100)
      await settle()
    }
    const cached = Array.from({ length: 10_000 }, (_, i) => cache.get(i)).filter(Boolean).length
    expect(cached).toBeLessThanOrEqual(80 * thumbnailPageSize)
    expect(cache.get(9_999)?.pixels[0]).toBe(9_999 % 256)
  })

  it('drops answers that arrive after the dataset changed', async () => {
    const gate = deferred<RawImage[]>()
    const fake = fakeStudio({ datasetThumbnails: () => gate.promise })
    const cache = new ThumbnailCache(fake.api, () => {})
    cache.reset(10)
    cache.ensure(0, 10)
    const version = cache.version
    cache.reset(5)
    gate.resolve([image(99)])
    await settle()
    expect(cache.get(0)).toBeUndefined()
    expect(cache.version).toBe(version + 1)
  })
})
