/**
 * Every file the studio writes goes through here: write a temp file beside the target, fsync it,
 * rename it over the target, fsync the folder. A crash at any instant leaves either the old file
 * or the new one, never a torn one. Folders that must appear whole (a checkpoint) get the same
 * treatment one level up: built under a temp name, fsynced, renamed into place.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'

let counter = 0

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target)
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${counter++}.tmp`)
  try {
    await writeFileSynced(temp, data)
    await fs.rename(temp, target)
  } catch (err) {
    // A full or read-only disk must not also collect half-written temp files.
    await fs.rm(temp, { force: true }).catch(() => undefined)
    throw err
  }
  await fsyncDir(dir)
}

/**
 * Writes and fsyncs `file` in place: on its own not atomic, so only for a file nobody reads yet
 * (inside a temp folder that `writeFolderAtomic` renames into place).
 */
export async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w')
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Builds the folder `target` whole or not at all: `fill` writes (and fsyncs) its files into
 * `.tmp-<name>-<random>` beside it; that folder is fsynced, an existing `target` is moved aside
 * (a rename cannot replace a non-empty folder), the temp folder is renamed into place and the
 * parent fsynced. Leftover `.tmp-`/`.old-` folders are the caller's to delete.
 */
export async function writeFolderAtomic<T>(target: string, fill: (temp: string) => Promise<T>): Promise<T> {
  const parent = path.dirname(target)
  const temp = path.join(parent, `.tmp-${path.basename(target)}-${randomBytes(4).toString('hex')}`)
  await fs.mkdir(temp)
  let result: T
  try {
    result = await fill(temp)
    await fsyncDir(temp)
    try {
      await moveAside(target)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    await fs.rename(temp, target)
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true })
    throw err
  }
  await fsyncDir(parent)
  return result
}

/**
 * Renames `target` to `.old-<name>-<random>` beside it, so a folder about to be deleted or
 * replaced leaves its name at once, and a crash mid-delete never leaves a half folder under it.
 */
export async function moveAside(target: string): Promise<void> {
  await fs.rename(target, path.join(path.dirname(target), `.old-${path.basename(target)}-${randomBytes(4).toString('hex')}`))
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
