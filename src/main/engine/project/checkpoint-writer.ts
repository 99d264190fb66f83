/**
 * Saving checkpoints: one folder per saved step plus a `latest.json` pointer. A checkpoint is built
 * in a hidden temp folder and renamed into place whole, and the pointer moves only after that, so
 * a crash at any moment leaves the previous checkpoint loadable (see README.md).
 *
 * One writer per project at a time: pruning removes other writers' temp folders as crash debris.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { fsyncDir, moveAside, writeFileSynced, writeFolderAtomic, writeJsonAtomic } from '../fs/atomic-write'
import {
  checkpointFormat,
  checkpointFormatVersion,
  checkpointMetaSchema,
  manifestSchema,
  optimizerMetaSchema,
  sharpenMetaSchema,
  type Checkpoint,
  type NamedArray
} from './checkpoint-manifest'
import { checkpointsToKeep, defaultKeepRule, type KeepRule } from './checkpoint-keep'
import { checkpointInfo, type CheckpointInfo } from './checkpoint-list'
import { checkpointName, stepFolders } from './checkpoint-names'
import { elementCount, writeWeights } from './checkpoint-weights'
import { projectPaths } from './project-paths'
import { describeIssues } from './project-schema'

function checkArrays(arrays: NamedArray[], what: string): void {
  const names = new Set<string>()
  for (const array of arrays) {
    if (names.has(array.name)) throw new Error(`invalid checkpoint: ${what} name ${array.name} appears twice`)
    names.add(array.name)
    if (array.data.length !== elementCount(array.shape)) {
      throw new Error(`invalid checkpoint: ${what} ${array.name} has ${array.data.length} values for shape [${array.shape}]`)
    }
  }
}

/**
 * Keeps what `rule` keeps of the checkpoints up to `step` (see checkpoint-keep.ts) and deletes the
 * rest, including any with a later step: those belong to a run that was resumed from an earlier
 * point and will be redone. Doomed folders leave the step namespace by rename first, so a
 * half-deleted one is never listed.
 */
async function prune(checkpointsDir: string, step: number, rule: KeepRule): Promise<void> {
  const folders = await stepFolders(checkpointsDir)
  const kept = checkpointsToKeep(
    folders.filter((folder) => folder.step <= step).map((folder) => folder.step),
    rule
  )
  const doomed = folders.filter((folder) => folder.step > step || !kept.has(folder.step))
  for (const folder of doomed) await moveAside(path.join(checkpointsDir, folder.name))
  // Crash debris of `writeFolderAtomic` and `moveAside`, this write's included.
  for (const entry of await fs.readdir(checkpointsDir)) {
    if (entry.startsWith('.tmp-step-') || entry.startsWith('.old-step-')) {
      await fs.rm(path.join(checkpointsDir, entry), { recursive: true, force: true })
    }
  }
  if (doomed.length > 0) await fsyncDir(checkpointsDir)
}

/**
 * Saves `checkpoint`, points `latest.json` at it, then prunes: `keep` newest (default 3), and
 * with `spread` (default on) the earliest of each doubling of the step, at most `maxKept` in all.
 */
export async function writeCheckpoint(
  dir: string,
  checkpoint: Checkpoint,
  options: { keep?: number; spread?: boolean; maxKept?: number } = {}
): Promise<CheckpointInfo> {
  const rule: KeepRule = {
    newest: options.keep ?? defaultKeepRule.newest,
    spread: options.spread ?? defaultKeepRule.spread,
    maxKept: options.maxKept ?? defaultKeepRule.maxKept
  }
  for (const [name, value] of [
    ['keep', rule.newest],
    ['maxKept', rule.maxKept]
  ] as const)
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`)
  const meta = checkpointMetaSchema.safeParse(checkpoint)
  if (!meta.success) throw new Error(`invalid checkpoint: ${describeIssues(meta.error)}`)
  const optimizer = optimizerMetaSchema.safeParse(checkpoint.optimizer)
  if (!optimizer.success) throw new Error(`invalid checkpoint: optimizer: ${describeIssues(optimizer.error)}`)
  checkArrays(checkpoint.tensors, 'tensor')
  checkArrays(checkpoint.optimizer.tensors, 'optimizer tensor')
  const sharpen = checkpoint.sharpen && sharpenMetaSchema.safeParse(checkpoint.sharpen)
  if (sharpen && !sharpen.success) throw new Error(`invalid checkpoint: sharpen: ${describeIssues(sharpen.error)}`)
  if (checkpoint.sharpen) checkArrays(checkpoint.sharpen.tensors, 'discriminator tensor')

  const { checkpointsDir, latestCheckpoint } = projectPaths(dir)
  try {
    await fs.mkdir(checkpointsDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const name = checkpointName(checkpoint.step)
  const manifest = await writeFolderAtomic(path.join(checkpointsDir, name), async (temp) => {
    const discriminator = checkpoint.sharpen?.tensors ?? []
    const weights = await writeWeights(path.join(temp, 'weights.bin'), [
      ...checkpoint.tensors,
      ...checkpoint.optimizer.tensors,
      ...discriminator
    ])
    const modelCount = checkpoint.tensors.length
    const optimizerEnd = modelCount + checkpoint.optimizer.tensors.length
    const manifest = manifestSchema.parse({
      format: checkpointFormat,
      formatVersion: checkpointFormatVersion,
      ...meta.data,
      savedAt: new Date().toISOString(),
      weights: { file: 'weights.bin', bytes: weights.bytes, sha256: weights.sha256 },
      tensors: weights.entries.slice(0, modelCount),
      optimizer: { ...optimizer.data, tensors: weights.entries.slice(modelCount, optimizerEnd) },
      ...(sharpen?.success ? { sharpen: { ...sharpen.data, tensors: weights.entries.slice(optimizerEnd) } } : {})
    })
    await writeFileSynced(path.join(temp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
    return manifest
  })
  await writeJsonAtomic(latestCheckpoint, { name, step: checkpoint.step })
  await prune(checkpointsDir, checkpoint.step, rule)
  return checkpointInfo(name, manifest, true)
}
