import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { tempDir } from '../../../../test/support/small-setup'
import { readPngCode } from './png-code'
import { writeSampleFolder, type SampleFolderOptions } from './sample-folder'

let root: string
beforeAll(async () => (root = await tempDir('samples')))
afterAll(() => fs.rm(root, { recursive: true, force: true }))

/** Images whose grey level is the code's first value: enough to tell samples apart. */
const decode = async (codes: number[][]): Promise<RawImage[]> =>
  codes.map((code) => ({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16).fill(Math.round(code[0]) % 256) }))

const options = (folder: string, overrides: Partial<SampleFolderOptions> = {}): SampleFolderOptions => ({
  folder,
  count: 70,
  codeOf: (i) => ({ code: [i, -i], seed: 100 + i }),
  decode,
  made: { sampling: 'prior', temperature: 0.8, checkpointStep: 42 },
  ...overrides
})

/** Names in the parent folder besides `keep`: a hidden half-written folder would show here. */
async function leftovers(keep: string[] = []): Promise<string[]> {
  return (await fs.readdir(root)).filter((name) => !keep.includes(name))
}

describe('writeSampleFolder', () => {
  it('writes one PNG per sample carrying its code and seed, and a manifest, reporting progress', async () => {
    const folder = path.join(root, 'faces')
    const progress: number[] = []
    await writeSampleFolder(options(folder, { onProgress: (done) => progress.push(done) }))
    const files = (await fs.readdir(folder)).sort()
    expect(files).toHaveLength(71)
    expect(files[0]).toBe('manifest.csv')
    expect(readPngCode(await fs.readFile(path.join(folder, 'sample_00069.png')))).toEqual({
      code: [69, -69],
      seed: 169,
      checkpointStep: 42
    })
    const manifest = (await fs.readFile(path.join(folder, 'manifest.csv'), 'utf8')).trim().split('\n')
    expect(manifest[0]).toBe('file,seed,sampling,temperature,checkpoint_step')
    expect(manifest[1]).toBe('sample_00000.png,100,prior,0.8,42')
    expect(manifest).toHaveLength(71)
    expect(progress).toEqual([64, 70])
  })

  it('leaves nothing behind when cancelled or when writing fails, and refuses a folder that holds files', async () => {
    const cancel = new AbortController()
    const cancelled = path.join(root, 'cancelled')
    const run = writeSampleFolder(options(cancelled, { count: 1000, signal: cancel.signal, onProgress: () => cancel.abort() }))
    await expect(run).rejects.toMatchObject({ code: 'cancelled' })
    const failing = path.join(root, 'failing')
    let batches = 0
    const broken = writeSampleFolder(
      options(failing, {
        decode: async (codes) => (++batches === 2 ? Promise.reject(new Error('ENOSPC: no space left on device')) : decode(codes))
      })
    )
    await expect(broken).rejects.toThrow(/ENOSPC/)
    expect(await leftovers(['faces'])).toEqual([])

    const busy = path.join(root, 'busy')
    await fs.mkdir(busy)
    await fs.writeFile(path.join(busy, 'keep.txt'), 'mine')
    await expect(writeSampleFolder(options(busy))).rejects.toThrow(/not empty/)
    expect(await fs.readdir(busy)).toEqual(['keep.txt'])
    const empty = path.join(root, 'empty')
    await fs.mkdir(empty)
    await writeSampleFolder(options(empty, { count: 3 }))
    expect(await fs.readdir(empty)).toHaveLength(4)
  })
})
