import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readDatasetIndex } from './dataset-index'
import { createDatasetWriter, type DatasetWriterOptions } from './dataset-writer'
import { openDataset } from './open-dataset'

const options: DatasetWriterOptions = { size: 32, channels: 1, fit: 'crop', source: 'demo' }
const bytes = 32 * 32

let dir: string

function image(value: number): Uint8Array {
  return new Uint8Array(bytes).fill(value)
}

/** Writes a dataset of `values.length` flat images. */
async function writeDataset(values: number[]): Promise<void> {
  const writer = await createDatasetWriter(dir, options)
  for (const [i, value] of values.entries()) await writer.add(image(value), { file: `img-${i}` })
  await writer.finish()
}

beforeEach(async () => {
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'vae-writer-')), 'dataset')
})

afterEach(async () => {
  await fs.rm(path.dirname(dir), { recursive: true, force: true })
})

describe('createDatasetWriter', () => {
  it('streams images in call order and records skips and copies in the index', async () => {
    const writer = await createDatasetWriter(dir, options)
    // Not awaited one by one: rows must still follow call order.
    const rows = await Promise.all([
      writer.add(image(10), { file: 'a' }),
      writer.add(image(20), { file: 'b' }),
      writer.add(image(10), { file: 'a-again' })
    ])
    writer.skip('c', 'not an image')
    expect(rows).toEqual([0, 1, null])
    expect(writer.count).toBe(2)
    const result = await writer.finish()
    expect(result).toEqual({ imported: 2, skipped: [{ file: 'c', reason: 'not an image' }], duplicates: 1 })

    const dataset = await openDataset(dir)
    expect(dataset).toMatchObject({ version: 2, size: 32, channels: 1, fit: 'crop', source: 'demo', count: 2 })
    expect([...dataset.images.subarray(0, 2)]).toEqual([10, 10])
    expect([...dataset.images.subarray(bytes, bytes + 2)]).toEqual([20, 20])
    expect(dataset.images.length).toBe(2 * bytes)
    expect(dataset.files.map((f) => [f.file, f.status, f.index, f.reason])).toEqual([
      ['a', 'imported', 0, undefined],
      ['b', 'imported', 1, undefined],
      ['a-again', 'duplicate', 0, 'duplicate of a'],
      ['c', 'skipped', undefined, 'not an image']
    ])
    expect(await fs.readdir(dir)).toEqual(['images.u8', 'index.json'])
  })

  it('spans several write chunks without losing a byte', async () => {
    const big = { ...options, size: 128 as const, channels: 3 as const }
    const writer = await createDatasetWriter(dir, big)
    const n = 70 // 70 × 48 KiB crosses the 1 MiB chunk three times, not on a boundary
    for (let i = 0; i < n; i++) await writer.add(new Uint8Array(128 * 128 * 3).fill(i), { file: `f${i}` })
    await writer.finish()
    const { images } = await openDataset(dir)
    for (let i = 0; i < n; i++) expect(images[i * 128 * 128 * 3 + 777]).toBe(i)
  })

  it('refuses pixels of the wrong shape and an empty dataset', async () => {
    const writer = await createDatasetWriter(dir, options)
    await expect(writer.add(new Uint8Array(bytes + 1), { file: 'x' })).rejects.toThrow(/expected 32×32×1 = 1024 bytes, got 1025/)
    await expect(writer.finish()).rejects.toThrow(/no images/)
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('leaves the previous dataset whole when a new one is aborted or never finished', async () => {
    await writeDataset([1, 2, 3])
    const aborted = await createDatasetWriter(dir, options)
    await aborted.add(image(9), { file: 'z' })
    await aborted.abort()
    expect((await openDataset(dir)).count).toBe(3)
    expect(await fs.readdir(dir)).toEqual(['images.u8', 'index.json'])

    // A crash: a writer left mid-way, its temp file still on disk.
    const crashed = await createDatasetWriter(dir, options)
    await crashed.add(image(9), { file: 'z' })
    const dataset = await openDataset(dir)
    expect(dataset.count).toBe(3)
    expect([...dataset.images.subarray(2 * bytes, 2 * bytes + 1)]).toEqual([3])
    await crashed.abort()
  })

  it("removes temp files that crashed writers left, but not a live writer's", async () => {
    await fs.mkdir(dir, { recursive: true })
    const stale = path.join(dir, '.images.u8.2147483646.0.tmp') // no such process
    await fs.writeFile(stale, 'left by a crash')
    const live = await createDatasetWriter(dir, options)
    expect(await fs.readdir(dir)).toHaveLength(1)
    await expect(fs.access(stale)).rejects.toThrow()
    const second = await createDatasetWriter(dir, options)
    expect(await fs.readdir(dir)).toHaveLength(2)
    await Promise.all([live.abort(), second.abort()])
  })
})

describe('openDataset', () => {
  it('names a missing dataset and a damaged one', async () => {
    await expect(openDataset(dir)).rejects.toThrow(/no dataset in .*index\.json is missing/)
    await writeDataset([1, 2])
    const images = path.join(dir, 'images.u8')
    const good = await fs.readFile(images)

    await fs.writeFile(images, good.subarray(0, bytes + 100))
    await expect(openDataset(dir)).rejects.toThrow(/^dataset cache is damaged: .*holds 1124 bytes but the index describes 2 images/)

    const flipped = Buffer.from(good)
    flipped[5] ^= 0xff
    await fs.writeFile(images, flipped)
    await expect(openDataset(dir)).rejects.toThrow(/^dataset cache is damaged: .*checksum/)

    await fs.rm(images)
    await expect(openDataset(dir)).rejects.toThrow(/^dataset cache is damaged: .*images\.u8 is missing/)
  })

  it('reads the index alone, and refuses a broken or newer one', async () => {
    await writeDataset([1, 2])
    await fs.rm(path.join(dir, 'images.u8'))
    expect((await readDatasetIndex(dir)).count).toBe(2)

    const indexFile = path.join(dir, 'index.json')
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8'))
    await fs.writeFile(indexFile, JSON.stringify({ ...index, count: 5 }))
    await expect(readDatasetIndex(dir)).rejects.toThrow(/damaged: .*lists 2 imported files but a count of 5/)
    // Indexes written before face finding (version 1) read as they are.
    await fs.writeFile(indexFile, JSON.stringify({ ...index, version: 1 }))
    expect((await readDatasetIndex(dir)).version).toBe(1)
    await fs.writeFile(indexFile, JSON.stringify({ ...index, version: 3 }))
    await expect(readDatasetIndex(dir)).rejects.toThrow(/version 3 is newer/)
    await fs.writeFile(indexFile, JSON.stringify({ ...index, size: 48 }))
    await expect(readDatasetIndex(dir)).rejects.toThrow(/damaged: .*schema/)
    await fs.writeFile(indexFile, '{"version": 1, "si')
    await expect(readDatasetIndex(dir)).rejects.toThrow(/damaged: .*not valid JSON/)
  })
})
