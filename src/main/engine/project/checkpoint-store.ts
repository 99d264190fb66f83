/**
 * `checkpoints/`: one folder per saved step plus a `latest.json` pointer. A checkpoint is built in
 * a hidden temp folder and renamed into place whole, and the pointer moves only after that, so a
 * crash at any moment leaves the previous checkpoint loadable. Readers verify every byte (size,
 * sha256, layout) and fall back to an older checkpoint rather than resume from a broken one.
 *
 * One writer per project at a time: pruning removes other writers' temp folders as crash debris.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { fsyncDir, writeJsonAtomic } from '../fs/atomic-write'
import {
  checkpointFormat,
  checkpointFormatVersion,
  checkpointMetaSchema,
  manifestSchema,
  optimizerMetaSchema,
  type Checkpoint,
  type CheckpointManifest,
  type NamedArray
} from './checkpoint-manifest'
import { elementCount, layoutProblem, readArrays, sha256Hex, writeWeights } from './checkpoint-weights'
import { ProjectError } from './project-error'
import { projectPaths } from './project-paths'
import { describeIssues } from './project-schema'

export const defaultKeep = 3

const namePattern = /^step-(\d{9,})$/
const pointerSchema = z
  .object({ name: z.string().regex(namePattern), step: z.number().int().min(0) })
  .refine((pointer) => stepOf(pointer.name) === pointer.step, 'step does not match name')

export interface CheckpointInfo {
  name: string
  step: number
  epoch: number
  beta: number
  targetBeta: number
  savedAt: string
  /** Size of weights.bin. */
  bytes: number
  /** Whether `latest.json` points at it. */
  latest: boolean
}

export interface LatestCheckpoint {
  checkpoint: Checkpoint | null
  /** Folder name of the checkpoint returned. */
  name: string | null
  /** The checkpoint (or 'latest.json') that should have been loaded, when another one was. */
  fellBackFrom?: string
  /** One sentence per broken checkpoint or pointer met on the way. */
  problems: string[]
}

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`
}

function stepOf(name: string): number | null {
  const match = namePattern.exec(name)
  return match ? Number(match[1]) : null
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
}

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

async function writeDurable(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'wx')
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Step folders on disk, newest first. */
async function stepFolders(checkpointsDir: string): Promise<Array<{ name: string; step: number }>> {
  let entries: string[]
  try {
    entries = await fs.readdir(checkpointsDir)
  } catch (err) {
    if (isMissing(err)) return []
    throw err
  }
  return entries
    .flatMap((name) => {
      const step = stepOf(name)
      return step === null ? [] : [{ name, step }]
    })
    .sort((a, b) => b.step - a.step)
}

/**
 * Renames a step folder out of the step namespace, so a half-deleted or replaced checkpoint is
 * never listed; the `.old-` folder is deleted by the next prune.
 */
async function moveAside(checkpointsDir: string, name: string): Promise<string> {
  const aside = path.join(checkpointsDir, `.old-${name}-${randomBytes(4).toString('hex')}`)
  await fs.rename(path.join(checkpointsDir, name), aside)
  return aside
}

/**
 * Keeps the `keep` newest checkpoints up to `step` and deletes the rest, including any with a
 * later step: those belong to a run that was resumed from an earlier point and will be redone.
 */
async function prune(checkpointsDir: string, step: number, keep: number): Promise<void> {
  const folders = await stepFolders(checkpointsDir)
  const doomed = [
    ...folders.filter((folder) => folder.step > step),
    ...folders.filter((folder) => folder.step <= step).slice(keep)
  ]
  for (const folder of doomed) await moveAside(checkpointsDir, folder.name)
  for (const entry of await fs.readdir(checkpointsDir)) {
    if (entry.startsWith('.tmp-step-') || entry.startsWith('.old-step-')) {
      await fs.rm(path.join(checkpointsDir, entry), { recursive: true, force: true })
    }
  }
  if (doomed.length > 0) await fsyncDir(checkpointsDir)
}

/** Saves `checkpoint`, points `latest.json` at it, then prunes to the `keep` newest. */
export async function writeCheckpoint(
  dir: string,
  checkpoint: Checkpoint,
  options: { keep?: number } = {}
): Promise<CheckpointInfo> {
  const keep = options.keep ?? defaultKeep
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a positive integer, got ${keep}`)
  const meta = checkpointMetaSchema.safeParse(checkpoint)
  if (!meta.success) throw new Error(`invalid checkpoint: ${describeIssues(meta.error)}`)
  const optimizer = optimizerMetaSchema.safeParse(checkpoint.optimizer)
  if (!optimizer.success) throw new Error(`invalid checkpoint: optimizer: ${describeIssues(optimizer.error)}`)
  checkArrays(checkpoint.tensors, 'tensor')
  checkArrays(checkpoint.optimizer.tensors, 'optimizer tensor')

  const { checkpointsDir, latestCheckpoint } = projectPaths(dir)
  try {
    await fs.mkdir(checkpointsDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const name = checkpointName(checkpoint.step)
  const temp = path.join(checkpointsDir, `.tmp-${name}-${randomBytes(4).toString('hex')}`)
  await fs.mkdir(temp)
  let manifest: CheckpointManifest
  try {
    const weights = await writeWeights(path.join(temp, 'weights.bin'), [
      ...checkpoint.tensors,
      ...checkpoint.optimizer.tensors
    ])
    const modelCount = checkpoint.tensors.length
    manifest = manifestSchema.parse({
      format: checkpointFormat,
      formatVersion: checkpointFormatVersion,
      ...meta.data,
      savedAt: new Date().toISOString(),
      weights: { file: 'weights.bin', bytes: weights.bytes, sha256: weights.sha256 },
      tensors: weights.entries.slice(0, modelCount),
      optimizer: { ...optimizer.data, tensors: weights.entries.slice(modelCount) }
    })
    await writeDurable(path.join(temp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
    await fsyncDir(temp)
    try {
      await moveAside(checkpointsDir, name)
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    await fs.rename(temp, path.join(checkpointsDir, name))
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true })
    throw err
  }
  await fsyncDir(checkpointsDir)
  await writeJsonAtomic(latestCheckpoint, { name, step: checkpoint.step })
  await prune(checkpointsDir, checkpoint.step, keep)
  return infoOf(name, manifest, true)
}

function infoOf(name: string, manifest: CheckpointManifest, latest: boolean): CheckpointInfo {
  return {
    name,
    step: manifest.step,
    epoch: manifest.epoch,
    beta: manifest.beta,
    targetBeta: manifest.targetBeta,
    savedAt: manifest.savedAt,
    bytes: manifest.weights.bytes,
    latest
  }
}

function damaged(name: string, problem: string): ProjectError {
  return new ProjectError('damaged', `checkpoint ${name} is damaged: ${problem}`)
}

async function readManifest(checkpointsDir: string, name: string): Promise<CheckpointManifest> {
  let text: string
  try {
    text = await fs.readFile(path.join(checkpointsDir, name, 'manifest.json'), 'utf8')
  } catch (err) {
    if (isMissing(err)) throw damaged(name, 'manifest.json is missing')
    throw err
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw damaged(name, `manifest.json is not valid JSON (${(err as Error).message})`)
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion
  if (typeof version === 'number' && version > checkpointFormatVersion) {
    throw damaged(name, `it was written by a newer VAE Studio (checkpoint format ${version})`)
  }
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) throw damaged(name, `manifest.json: ${describeIssues(parsed.error)}`)
  if (parsed.data.step !== stepOf(name)) throw damaged(name, `manifest.json says step ${parsed.data.step}`)
  return parsed.data
}

/** Loads and verifies one checkpoint folder; throws a `ProjectError('damaged')` saying what broke. */
export async function readCheckpoint(dir: string, name: string): Promise<Checkpoint> {
  if (stepOf(name) === null) throw new Error(`not a checkpoint name: ${name}`)
  const { checkpointsDir } = projectPaths(dir)
  const manifest = await readManifest(checkpointsDir, name)
  let weights: Buffer
  try {
    weights = await fs.readFile(path.join(checkpointsDir, name, manifest.weights.file))
  } catch (err) {
    if (isMissing(err)) throw damaged(name, 'weights.bin is missing')
    throw err
  }
  if (weights.byteLength !== manifest.weights.bytes) {
    throw damaged(name, `weights.bin has ${weights.byteLength} bytes, expected ${manifest.weights.bytes}`)
  }
  if (sha256Hex(weights) !== manifest.weights.sha256) throw damaged(name, 'weights.bin does not match its sha256')
  const problem = layoutProblem([...manifest.tensors, ...manifest.optimizer.tensors], weights.byteLength)
  if (problem) throw damaged(name, problem)
  return {
    step: manifest.step,
    epoch: manifest.epoch,
    beta: manifest.beta,
    targetBeta: manifest.targetBeta,
    rngState: manifest.rngState,
    seeds: manifest.seeds,
    tensors: readArrays(weights, manifest.tensors),
    optimizer: {
      name: manifest.optimizer.name,
      iterations: manifest.optimizer.iterations,
      ...(manifest.optimizer.config ? { config: manifest.optimizer.config } : {}),
      tensors: readArrays(weights, manifest.optimizer.tensors)
    },
    ...(manifest.meta ? { meta: manifest.meta } : {})
  }
}

async function readPointer(latestFile: string): Promise<{ name: string; step: number } | string | null> {
  let text: string
  try {
    text = await fs.readFile(latestFile, 'utf8')
  } catch (err) {
    if (isMissing(err)) return null
    throw err
  }
  try {
    const parsed = pointerSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : `latest.json is damaged: ${describeIssues(parsed.error)}`
  } catch (err) {
    return `latest.json is damaged: ${(err as Error).message}`
  }
}

/**
 * The checkpoint a resumed run should start from: the one `latest.json` names, or, when that is
 * broken, the newest valid one older than it (then any newer leftover), saying what happened.
 * Without a pointer (a crash between the first checkpoint and its pointer) the newest valid one
 * is simply the latest.
 */
export async function readLatestCheckpoint(dir: string): Promise<LatestCheckpoint> {
  const { checkpointsDir, latestCheckpoint } = projectPaths(dir)
  const [pointer, folders] = await Promise.all([readPointer(latestCheckpoint), stepFolders(checkpointsDir)])
  const problems: string[] = []
  let fellBackFrom: string | undefined
  let candidates = folders
  if (typeof pointer === 'string') {
    problems.push(pointer)
    fellBackFrom = 'latest.json'
  } else if (pointer !== null) {
    try {
      return { checkpoint: await readCheckpoint(dir, pointer.name), name: pointer.name, problems }
    } catch (err) {
      if (!(err instanceof ProjectError)) throw err
      problems.push(err.message)
      fellBackFrom = pointer.name
    }
    candidates = [
      ...folders.filter((folder) => folder.step < pointer.step),
      ...folders.filter((folder) => folder.step > pointer.step)
    ]
  }
  for (const folder of candidates) {
    try {
      return { checkpoint: await readCheckpoint(dir, folder.name), name: folder.name, fellBackFrom, problems }
    } catch (err) {
      if (!(err instanceof ProjectError)) throw err
      problems.push(err.message)
      fellBackFrom ??= folder.name
    }
  }
  return { checkpoint: null, name: null, fellBackFrom, problems }
}

/** Checkpoints whose manifest reads, newest first; weights are verified only when loaded. */
export async function listCheckpoints(dir: string): Promise<CheckpointInfo[]> {
  const { checkpointsDir, latestCheckpoint } = projectPaths(dir)
  const [pointer, folders] = await Promise.all([readPointer(latestCheckpoint), stepFolders(checkpointsDir)])
  const latestName = pointer !== null && typeof pointer !== 'string' ? pointer.name : null
  const infos: CheckpointInfo[] = []
  for (const folder of folders) {
    try {
      infos.push(infoOf(folder.name, await readManifest(checkpointsDir, folder.name), folder.name === latestName))
    } catch (err) {
      if (!(err instanceof ProjectError)) throw err
    }
  }
  return infos
}
