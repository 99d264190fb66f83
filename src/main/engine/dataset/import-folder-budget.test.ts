import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { defaultImportOptions } from '../../../shared/config'
import { importFolder } from './import-folder'

/** Whole files, through the (mocked) decoder this test tracks. */
const wholeFiles = { ...defaultImportOptions, faces: { ...defaultImportOptions.faces, find: false } }

/** Every decode is slow and tracked, so the test sees how many source bytes wait at once. */
const held = vi.hoisted(() => ({ now: 0, peak: 0, files: 0, peakFiles: 0 }))
vi.mock('./decode-image', () => ({
  decodeImage: async (bytes: Buffer) => {
    held.now += bytes.length
    held.files++
    held.peak = Math.max(held.peak, held.now)
    held.peakFiles = Math.max(held.peakFiles, held.files)
    await new Promise((resolve) => setTimeout(resolve, 5))
    held.now -= bytes.length
    held.files--
    return { pixels: new Uint8Array(64 * 64 * 3) }
  }
}))

const MB = 2 ** 20
let tmp: string

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-import-budget-'))
})
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true })
})

async function folderOf(name: string, files: number, bytes: number): Promise<string> {
  const folder = path.join(tmp, name)
  await fs.mkdir(folder)
  for (let i = 0; i < files; i++) await fs.writeFile(path.join(folder, `${i}.jpg`), Buffer.alloc(bytes, i + 1))
  return folder
}

describe('importFolder in-flight limits', () => {
  it('holds at most about 64 MB of big source files at once, however many would fit the file count', async () => {
    const folder = await folderOf('big', 20, 6 * MB)
    held.peak = 0
    const result = await importFolder(folder, path.join(tmp, 'big-out'), wholeFiles)
    expect(result.imported).toBe(20)
    expect(held.peak).toBeLessThanOrEqual(64 * MB + 6 * MB)
    expect(held.peakFiles).toBeGreaterThan(1)
  })

  it('lets one file through whatever its size', async () => {
    const folder = await folderOf('huge', 2, 80 * MB)
    const result = await importFolder(folder, path.join(tmp, 'huge-out'), wholeFiles)
    expect(result.imported).toBe(2)
  })
})
