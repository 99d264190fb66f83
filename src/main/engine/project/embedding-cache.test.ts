import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../../../test/support/project/temp-dir'
import { readEmbeddingCache, writeEmbeddingCache, type EmbeddingCache } from './embedding-cache'

const tempDir = useTempDirs()

/** The file's JSON, as far as the damage below needs it. */
interface CacheJson {
  reference: { embeddings: string; floor?: unknown }
  heldOut: { rows: number[] }
}
const limits = { rows: 10, dim: 4 }
const file = (dir: string): string => path.join(dir, 'quality-embeddings.json')

function cache(fields: Partial<EmbeddingCache> = {}): EmbeddingCache {
  const rows = (n: number[], at: number) => n.map((r) => Float32Array.from([r, at, 0.5, -1]))
  return {
    dataset: 'abc123',
    faces: { applies: true, rule: 'detector', checked: 10, withFace: 9 },
    reference: { key: 'all rows', rows: [0, 2, 4], embeddings: rows([0, 2, 4], 1), floor: { frechet: 6.5, kid: 0.001, half: 1 } },
    heldOut: { key: 'held out', rows: [9, 1], embeddings: rows([9, 1], 2) },
    ...fields
  }
}

describe('quality-embeddings.json', () => {
  it('reads back what was written, bit for bit; another dataset’s cache is simply not used', async () => {
    const dir = await tempDir()
    await writeEmbeddingCache(dir, cache(), limits)
    expect(await readEmbeddingCache(dir, 'abc123', limits)).toEqual({ cache: cache() })
    expect(await readEmbeddingCache(dir, 'other', limits)).toEqual({ cache: { dataset: 'other' } })
    expect((await fs.readdir(dir)).filter((f) => f.includes('damaged'))).toEqual([])
  })

  it('refuses to write a NaN, a row outside the dataset or embeddings of the wrong size', async () => {
    const dir = await tempDir()
    const nan = cache()
    nan.reference!.embeddings[1][2] = Number.NaN
    await expect(writeEmbeddingCache(dir, nan, limits)).rejects.toThrow(
      /reference embedding of row 2 holds a value that is not a finite number/
    )
    await expect(writeEmbeddingCache(dir, cache(), { rows: 5, dim: 4 })).rejects.toThrow(/held-out row 9 is outside the dataset's 5 images/)
    await expect(writeEmbeddingCache(dir, cache(), { rows: 10, dim: 8 })).rejects.toThrow(/have 4 values each, not 8/)
    await expect(fs.access(file(dir))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it.each([
    [
      'a NaN in an embedding',
      (json: CacheJson) => {
        const bytes = Buffer.from(json.reference.embeddings, 'base64')
        bytes.writeFloatLE(Number.NaN, 4)
        json.reference.embeddings = bytes.toString('base64')
      },
      /reference embedding of row 0 holds a value that is not a finite number/
    ],
    [
      'a held-out row past the dataset',
      (json: CacheJson) => (json.heldOut.rows = [9, 12]),
      /held-out row 12 is outside the dataset's 10 images/
    ],
    ['a missing field', (json: CacheJson) => delete json.reference.floor, /floor/],
    ['a torn file', null, /not valid JSON/]
  ])('sets a file with %s aside with a dated name and says so', async (_what, damage, why) => {
    const dir = await tempDir()
    await writeEmbeddingCache(dir, cache(), limits)
    const text = await fs.readFile(file(dir), 'utf8')
    if (damage) {
      const json = JSON.parse(text) as CacheJson
      damage(json)
      await fs.writeFile(file(dir), JSON.stringify(json))
    } else await fs.writeFile(file(dir), text.slice(0, text.length / 2))
    const read = await readEmbeddingCache(dir, 'abc123', limits)
    expect(read.cache).toEqual({ dataset: 'abc123' })
    expect(read.problem).toMatch(why)
    const aside = (await fs.readdir(dir)).filter((f) => /^quality-embeddings\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/.test(f))
    expect(aside).toHaveLength(1)
    expect(read.problem).toMatch(
      new RegExp(
        `^quality-embeddings\\.json was damaged \\(.+\\): set aside as ${aside[0].replace(/\./g, '\\.')}; the real faces are embedded again$`
      )
    )
    await expect(fs.access(file(dir))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
