/**
 * `history.jsonl`: the losses behind the charts, one JSON object per line, appended as training
 * runs. Appends can be torn by a crash; readers drop an incomplete last line, and the next append
 * cuts it off first, so one crash costs at most the rows being written.
 *
 * JSON has no NaN or Infinity: a diverged loss is written as null and read back as NaN.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { fsyncDir, writeFileAtomic } from '../fs/atomic-write'
import { projectPaths } from './project-paths'

const value = z.union([z.number(), z.null().transform(() => Number.NaN)])
const count = z.number().int().min(0)

const stepRowSchema = z.object({
  step: count,
  epoch: count,
  loss: value,
  recon: value,
  kl: value,
  beta: value,
  t: z.number()
})

const epochRowSchema = z.object({
  kind: z.literal('epoch'),
  epoch: count,
  step: count,
  valLoss: value,
  valRecon: value,
  valKl: value,
  trainLoss: value,
  trainRecon: value,
  trainKl: value,
  klPerDim: z.array(value),
  activeUnits: count,
  t: z.number()
})

/** One training step's losses; `t` is the wall-clock time the trainer stamps (ms since the epoch). */
export type HistoryStepRow = z.infer<typeof stepRowSchema>
/** The end of an epoch: validation and mean training losses, KL per latent dimension. */
export type HistoryEpochRow = z.infer<typeof epochRowSchema>
export type HistoryEntry = HistoryStepRow | HistoryEpochRow

export interface History {
  steps: HistoryStepRow[]
  epochs: HistoryEpochRow[]
  /** Lines that were not a valid row (a torn last line after a crash, or damage). */
  dropped: number
}

export function isEpochRow(row: HistoryEntry): row is HistoryEpochRow {
  return 'kind' in row && row.kind === 'epoch'
}

function parseLine(line: string): HistoryEntry | null {
  let raw: unknown
  try {
    raw = JSON.parse(line)
  } catch {
    return null
  }
  const isEpoch = typeof raw === 'object' && raw !== null && (raw as { kind?: unknown }).kind === 'epoch'
  const parsed = (isEpoch ? epochRowSchema : stepRowSchema).safeParse(raw)
  return parsed.success ? parsed.data : null
}

async function readLines(file: string): Promise<string[]> {
  try {
    return (await fs.readFile(file, 'utf8')).split('\n').filter((line) => line.length > 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/** Length of the file up to and including its last newline: what is left after cutting a torn line. */
async function lengthOfCompleteLines(handle: fs.FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024)
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - chunk.length)
    const { bytesRead } = await handle.read(chunk, 0, end - start, start)
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a)
    if (newline >= 0) return start + newline + 1
    end = start
  }
  return 0
}

/**
 * Makes the file end with a newline before an append: a last line a crash cut short is removed,
 * a complete row that only lacks its newline gets one (returned as a prefix for the append).
 */
async function mendTail(handle: fs.FileHandle, size: number): Promise<string> {
  const last = Buffer.alloc(1)
  await handle.read(last, 0, 1, size - 1)
  if (last[0] === 0x0a) return ''
  const complete = await lengthOfCompleteLines(handle, size)
  const tail = Buffer.alloc(size - complete)
  await handle.read(tail, 0, tail.length, complete)
  if (parseLine(tail.toString('utf8')) !== null) return '\n'
  await handle.truncate(complete)
  return ''
}

/**
 * Appends `rows` in one write and fsyncs, after mending a line torn by an earlier crash. All or
 * nothing: when the write fails (a full or read-only disk) whatever part of it reached the file
 * is cut off again, so the caller's retry of the same rows cannot leave them in twice.
 */
export async function appendHistory(dir: string, rows: HistoryEntry[]): Promise<void> {
  if (rows.length === 0) return
  const file = projectPaths(dir).historyFile
  const text = rows.map((row) => JSON.stringify(row)).join('\n') + '\n'
  const handle = await fs.open(file, 'a+')
  let created: boolean
  try {
    const { size } = await handle.stat()
    created = size === 0
    const prefix = size > 0 ? await mendTail(handle, size) : ''
    const before = (await handle.stat()).size
    try {
      await handle.appendFile(prefix + text)
      await handle.sync()
    } catch (err) {
      // Shrinking frees space, so this works on a full disk; on a read-only one nothing was written.
      await handle.truncate(before).catch(() => undefined)
      throw err
    }
  } finally {
    await handle.close()
  }
  if (created) await fsyncDir(path.dirname(file))
}

export async function readHistory(dir: string): Promise<History> {
  const history: History = { steps: [], epochs: [], dropped: 0 }
  for (const line of await readLines(projectPaths(dir).historyFile)) {
    const row = parseLine(line)
    if (row === null) history.dropped++
    else if (isEpochRow(row)) history.epochs.push(row)
    else history.steps.push(row)
  }
  return history
}

/**
 * Keeps only rows up to `step` (and drops invalid lines), rewriting the file atomically. Called
 * when a run resumes from a checkpoint older than the history's end, so the charts do not show
 * steps that are about to be redone.
 */
export async function truncateHistoryAfter(dir: string, step: number): Promise<{ kept: number; removed: number }> {
  const file = projectPaths(dir).historyFile
  const lines = await readLines(file)
  const kept = lines.filter((line) => {
    const row = parseLine(line)
    return row !== null && row.step <= step
  })
  if (kept.length < lines.length) await writeFileAtomic(file, kept.map((line) => line + '\n').join(''))
  return { kept: kept.length, removed: lines.length - kept.length }
}
