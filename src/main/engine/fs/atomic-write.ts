/**
 * Every file the studio writes goes through here: write a temp file beside the target, fsync it,
 * rename it over the target, fsync the folder. A crash at any instant leaves either the old file
 * or the new one, never a torn one.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'

let counter = 0

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target)
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${counter++}.tmp`)
  try {
    const handle = await fs.open(temp, 'w')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.rename(temp, target)
  } catch (err) {
    // A full or read-only disk must not also collect half-written temp files.
    await fs.rm(temp, { force: true }).catch(() => undefined)
    throw err
  }
  await fsyncDir(dir)
}

/** Makes a rename or a new entry in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n')
}
