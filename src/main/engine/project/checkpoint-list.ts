/**
 * What the studio shows of saved checkpoints (timeline, `info`): their step, β and size, read
 * from manifests alone so listing stays cheap; weights are verified only when one is loaded.
 */
import type { CheckpointManifest } from './checkpoint-manifest'
import { stepFolders } from './checkpoint-names'
import { readManifest, readPointer } from './checkpoint-reader'
import { ProjectError } from './project-error'
import { projectPaths } from './project-paths'

export interface CheckpointInfo {
  name: string
  step: number
  epoch: number
  /** Images seen and seconds trained, where the checkpoint says (newer ones do). */
  imagesSeen?: number
  trainedSec?: number
  beta: number
  targetBeta: number
  savedAt: string
  /** Size of weights.bin. */
  bytes: number
  /** Whether `latest.json` points at it. */
  latest: boolean
}

export function checkpointInfo(name: string, manifest: CheckpointManifest, latest: boolean): CheckpointInfo {
  return {
    name,
    step: manifest.step,
    epoch: manifest.epoch,
    ...(manifest.imagesSeen === undefined ? {} : { imagesSeen: manifest.imagesSeen }),
    ...(manifest.trainedSec === undefined ? {} : { trainedSec: manifest.trainedSec }),
    beta: manifest.beta,
    targetBeta: manifest.targetBeta,
    savedAt: manifest.savedAt,
    bytes: manifest.weights.bytes,
    latest
  }
}

/** Checkpoints whose manifest reads, newest first; weights are verified only when loaded. */
export async function listCheckpoints(dir: string): Promise<CheckpointInfo[]> {
  const { checkpointsDir, latestCheckpoint } = projectPaths(dir)
  const [pointer, folders] = await Promise.all([readPointer(latestCheckpoint), stepFolders(checkpointsDir)])
  const latestName = pointer !== null && typeof pointer !== 'string' ? pointer.name : null
  const infos: CheckpointInfo[] = []
  for (const folder of folders) {
    try {
      infos.push(checkpointInfo(folder.name, await readManifest(checkpointsDir, folder.name), folder.name === latestName))
    } catch (err) {
      if (!(err instanceof ProjectError)) throw err
    }
  }
  return infos
}
