/** A fresh temp folder per test, removed afterwards. */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach } from 'vitest'

export function useTempDirs(): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })))
  })
  return async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vaeproj-test-'))
    made.push(dir)
    return dir
  }
}
