import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { demoFactorNames } from './factors'
import { generateDemoFaces } from './generate'
import { writeDemoFolder } from './write-folder'

describe('writeDemoFolder', () => {
  let dir = ''
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vae-demo-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes N lossless PNGs of the generated faces, with labels in CSV and JSON', async () => {
    const n = 25
    const out = path.join(dir, 'demo-faces')
    const progress: Array<[number, number]> = []
    await writeDemoFolder(out, n, 31, (done, total) => progress.push([done, total]))

    const files = (await readdir(out)).sort()
    const pngs = files.filter((f) => f.endsWith('.png'))
    expect(pngs).toHaveLength(n)
    expect(pngs[0]).toBe('face_00000.png')
    expect(pngs[n - 1]).toBe('face_00024.png')
    expect(files.filter((f) => !f.endsWith('.png'))).toEqual(['labels.csv', 'labels.json'])

    const { images, factors } = generateDemoFaces(n, 31)
    const bytes = 64 * 64 * 3
    for (let i = 0; i < n; i++) {
      const { data, info } = await sharp(path.join(out, pngs[i])).raw().toBuffer({ resolveWithObject: true })
      expect([info.width, info.height, info.channels]).toEqual([64, 64, 3])
      expect(data.equals(Buffer.from(images.subarray(i * bytes, (i + 1) * bytes)))).toBe(true)
    }

    const csv = (await readFile(path.join(out, 'labels.csv'), 'utf8')).trimEnd().split('\n')
    expect(csv).toHaveLength(n + 1)
    expect(csv[0]).toBe(['file', ...demoFactorNames].join(','))
    const row3 = csv[4].split(',')
    expect(row3[0]).toBe('face_00003.png')
    demoFactorNames.forEach((name, j) => expect(Number(row3[j + 1])).toBe(Number(factors[3][name])))

    const json = JSON.parse(await readFile(path.join(out, 'labels.json'), 'utf8'))
    expect(json).toMatchObject({ seed: 31, size: 64, count: n })
    expect(json.faces).toHaveLength(n)
    expect(json.faces[7]).toEqual({ file: 'face_00007.png', ...factors[7] })
    expect(Object.keys(json.factors)).toEqual(demoFactorNames)

    expect(progress).toHaveLength(n)
    expect(progress.map(([done]) => done)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    expect(progress.every(([, total]) => total === n)).toBe(true)
  })

  it('rejects an empty set before touching the disk', async () => {
    const out = path.join(dir, 'none')
    await expect(writeDemoFolder(out, 0, 1)).rejects.toThrow(RangeError)
    await expect(readdir(out)).rejects.toThrow()
  })
})
