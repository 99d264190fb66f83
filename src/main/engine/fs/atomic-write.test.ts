import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { writeFolderAtomic } from './atomic-write'

const made: string[] = []
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })))
})

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atomic-write-test-'))
  made.push(dir)
  return dir
}

describe('writeFolderAtomic', () => {
  it('replaces a folder whole, leaving the old one aside under an .old- name', async () => {
    const dir = await tempDir()
    const target = path.join(dir, 'step-1')
    await fs.mkdir(target)
    await fs.writeFile(path.join(target, 'a'), 'old')
    const result = await writeFolderAtomic(target, async (temp) => {
      expect(path.basename(temp)).toMatch(/^\.tmp-step-1-[0-9a-f]{8}$/)
      await fs.writeFile(path.join(temp, 'a'), 'new')
      return 42
    })
    expect(result).toBe(42)
    expect(await fs.readFile(path.join(target, 'a'), 'utf8')).toBe('new')
    const entries = (await fs.readdir(dir)).sort()
    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatch(/^\.old-step-1-[0-9a-f]{8}$/)
    expect(await fs.readFile(path.join(dir, entries[0], 'a'), 'utf8')).toBe('old')
  })

  it('leaves the old folder and no temp folder behind when filling fails', async () => {
    const dir = await tempDir()
    const target = path.join(dir, 'step-1')
    await fs.mkdir(target)
    await expect(
      writeFolderAtomic(target, async (temp) => {
        await fs.writeFile(path.join(temp, 'a'), 'half')
        throw new Error('disk full')
      })
    ).rejects.toThrow('disk full')
    expect(await fs.readdir(dir)).toEqual(['step-1'])
    expect(await fs.readdir(target)).toEqual([])
  })
})
