/**
 * The step namespace of `checkpoints/`: a checkpoint is a folder named `step-<9+ digits>`, and
 * nothing else there (`latest.json`, `.tmp-`/`.old-` debris of a crash) is ever taken for one.
 * Zero-padding keeps a plain directory listing in step order.
 */
import { promises as fs } from 'node:fs'

export const checkpointNamePattern = /^step-(\d{9,})$/

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`
}

/** The step a checkpoint folder name stands for, or null when the name is not a checkpoint's. */
export function stepOf(name: string): number | null {
  const match = checkpointNamePattern.exec(name)
  return match ? Number(match[1]) : null
}

/** Step folders on disk, newest first. */
export async function stepFolders(checkpointsDir: string): Promise<Array<{ name: string; step: number }>> {
  let entries: string[]
  try {
    entries = await fs.readdir(checkpointsDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  return entries
    .flatMap((name) => {
      const step = stepOf(name)
      return step === null ? [] : [{ name, step }]
    })
    .sort((a, b) => b.step - a.step)
}
