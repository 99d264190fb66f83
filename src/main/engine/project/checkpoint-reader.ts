/**
 * Loading checkpoints back. Every byte is verified (size, sha256, layout) before a run may resume
 * from it, and a broken checkpoint or pointer makes the reader fall back to an older one and say
 * so, rather than resume from garbage or refuse to open the project.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { checkpointFormatVersion, manifestSchema, type Checkpoint, type CheckpointManifest } from './checkpoint-manifest'
import { checkpointNamePattern, stepFolders, stepOf } from './checkpoint-names'
import { layoutProblem, readArrays, sha256Hex } from './checkpoint-weights'
import { ProjectError } from './project-error'
import { projectPaths } from './project-paths'
import { describeIssues } from './project-schema'

const pointerSchema = z
  .object({ name: z.string().regex(checkpointNamePattern), step: z.number().int().min(0) })
  .refine((pointer) => stepOf(pointer.name) === pointer.step, 'step does not match name')

export interface LatestCheckpoint {
  checkpoint: Checkpoint | null
  /** Folder name of the checkpoint returned. */
  name: string | null
  /** The checkpoint (or 'latest.json') that should have been loaded, when another one was. */
  fellBackFrom?: string
  /** One sentence per broken checkpoint or pointer met on the way. */
  problems: string[]
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
}

function damaged(name: string, problem: string): ProjectError {
  return new ProjectError('damaged', `checkpoint ${name} is damaged: ${problem}`)
}

/** Parses and checks one checkpoint's manifest; throws a `ProjectError('damaged')` saying what broke. */
export async function readManifest(checkpointsDir: string, name: string): Promise<CheckpointManifest> {
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
  const problem = layoutProblem(
    [...manifest.tensors, ...manifest.optimizer.tensors, ...(manifest.sharpen?.tensors ?? [])],
    weights.byteLength
  )
  if (problem) throw damaged(name, problem)
  return {
    step: manifest.step,
    epoch: manifest.epoch,
    ...(manifest.imagesSeen === undefined ? {} : { imagesSeen: manifest.imagesSeen }),
    ...(manifest.trainedSec === undefined ? {} : { trainedSec: manifest.trainedSec }),
    beta: manifest.beta,
    targetBeta: manifest.targetBeta,
    ...(manifest.noiseVariance === undefined ? {} : { noiseVariance: manifest.noiseVariance }),
    rngState: manifest.rngState,
    seeds: manifest.seeds,
    tensors: readArrays(weights, manifest.tensors),
    optimizer: {
      name: manifest.optimizer.name,
      iterations: manifest.optimizer.iterations,
      ...(manifest.optimizer.config ? { config: manifest.optimizer.config } : {}),
      tensors: readArrays(weights, manifest.optimizer.tensors)
    },
    ...(manifest.meta ? { meta: manifest.meta } : {}),
    ...(manifest.sharpen ? { sharpen: { ...manifest.sharpen, tensors: readArrays(weights, manifest.sharpen.tensors) } } : {})
  }
}

/** `latest.json`: the pointer, null when there is none, or a sentence saying how it is broken. */
export async function readPointer(latestFile: string): Promise<{ name: string; step: number } | string | null> {
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
    candidates = [...folders.filter((folder) => folder.step < pointer.step), ...folders.filter((folder) => folder.step > pointer.step)]
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
