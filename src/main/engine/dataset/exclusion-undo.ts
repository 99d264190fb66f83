/**
 * Undo for leaving images out. Before an exclusion rewrites the dataset cache, the cache as it
 * was is kept beside it (hard links to its two files, so no copy where the disk allows one);
 * undoing writes it back through the same atomic path as an import. The newest few are kept;
 * any other change of the dataset (an import, the demo faces) drops them, since they would
 * bring back images of a dataset that is gone.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { IMAGES_FILE, INDEX_FILE } from './dataset-index'

/** Exclusions that can be undone, newest first. */
export const undoDepth = 10
const undoFolder = 'dataset-undo'

function undoRoot(projectDir: string): string {
  return path.join(projectDir, undoFolder)
}

async function snapshots(projectDir: string): Promise<string[]> {
  const names = await fs.readdir(undoRoot(projectDir)).catch(() => [] as string[])
  return names
    .filter((n) => /^\d+$/.test(n))
    .sort((a, b) => Number(a) - Number(b))
    .map((n) => path.join(undoRoot(projectDir), n))
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to)
  } catch {
    await fs.copyFile(from, to)
  }
}

/** Keeps the cache in `datasetDir` as it is now; returns the snapshot's folder. */
export async function keepForUndo(projectDir: string, datasetDir: string): Promise<string> {
  const existing = await snapshots(projectDir)
  const next = existing.length ? Number(path.basename(existing[existing.length - 1])) + 1 : 1
  const dir = path.join(undoRoot(projectDir), String(next))
  await fs.mkdir(dir, { recursive: true })
  // The index last: a snapshot without one is incomplete and is never offered.
  await linkOrCopy(path.join(datasetDir, IMAGES_FILE), path.join(dir, IMAGES_FILE))
  await linkOrCopy(path.join(datasetDir, INDEX_FILE), path.join(dir, INDEX_FILE))
  for (const old of existing.slice(0, Math.max(0, existing.length + 1 - undoDepth))) await fs.rm(old, { recursive: true, force: true })
  return dir
}

/** The newest complete snapshot, or null when there is nothing to undo. */
export async function latestUndo(projectDir: string): Promise<string | null> {
  const all = await snapshots(projectDir)
  for (let i = all.length - 1; i >= 0; i--) {
    const complete = await fs
      .access(path.join(all[i], INDEX_FILE))
      .then(() => true)
      .catch(() => false)
    if (complete) return all[i]
    await fs.rm(all[i], { recursive: true, force: true })
  }
  return null
}

export function dropUndo(snapshot: string): Promise<void> {
  return fs.rm(snapshot, { recursive: true, force: true })
}

export function dropAllUndo(projectDir: string): Promise<void> {
  return fs.rm(undoRoot(projectDir), { recursive: true, force: true })
}
