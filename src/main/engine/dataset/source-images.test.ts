import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/small-setup'
import type { DatasetIndex } from './dataset-index'
import { rowsFromSources } from './source-images'

let folder: string
const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

beforeAll(async () => {
  folder = await tempDir('source-images')
})
afterAll(() => fs.rm(folder, { recursive: true, force: true }))

async function png(name: string, grey: number): Promise<string> {
  const bytes = await sharp({ create: { width: 80, height: 80, channels: 3, background: { r: grey, g: grey, b: grey } } })
    .png()
    .toBuffer()
  await fs.writeFile(path.join(folder, name), bytes)
  return hashOf(bytes)
}

function index(files: DatasetIndex['files'], source = folder): DatasetIndex {
  return { version: 2, size: 32, channels: 1, fit: 'crop', source, count: files.length, imagesSha256: '', files }
}

describe('rowsFromSources', () => {
  it('decodes unchanged source files again at the size asked, and leaves the rest to the dataset', async () => {
    const a = await png('a.png', 200)
    const b = await png('b.png', 100)
    await png('b.png', 90) // changed since the import
    const outside = path.join(path.dirname(folder), `${path.basename(folder)}-outside.png`)
    await fs.copyFile(path.join(folder, 'a.png'), outside)
    const face = { n: 0, box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.9 }
    const data = index([
      { file: 'a.png', hash: a, status: 'imported', index: 0 },
      { file: 'b.png', hash: b, status: 'imported', index: 1 },
      { file: 'a.png', hash: a, status: 'imported', index: 2, face },
      { file: 'gone.png', hash: a, status: 'imported', index: 3 },
      { file: `../${path.basename(outside)}`, hash: a, status: 'imported', index: 4 }
    ])
    const [first, ...others] = await rowsFromSources(data, [0, 1, 2, 3, 4], 64)
    expect(first).toMatchObject({ width: 64, height: 64, channels: 1 })
    expect(first!.pixels).toHaveLength(64 * 64)
    expect(Math.abs(first!.pixels[0] - 200)).toBeLessThanOrEqual(1)
    expect(others).toEqual([null, null, null, null])
    await fs.rm(outside)
  })

  it('has no files to read for the demo faces', async () => {
    const a = await png('a.png', 200)
    expect(await rowsFromSources(index([{ file: 'a.png', hash: a, status: 'imported', index: 0 }], 'demo'), [0], 64)).toEqual([null])
  })
})
