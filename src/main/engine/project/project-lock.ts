/**
 * One writer per project: whatever trains or imports into a project holds `project.lock` in it,
 * saying who (pid, host name, start time, and in words what: "training in vae-studio train (pid
 * 1234)"). Without it two trainers on one project prune each other's checkpoints and interleave
 * their history. Readers (opening, sampling, `info`, `evaluate`) never look at it.
 *
 * The file appears whole or not at all: it is written under a temp name and hard-linked into
 * place, which fails when a lock is already there (`wx` where the file system has no hard links).
 * A lock whose process is gone (on this host) is taken over and the caller says so; a lock of
 * another host cannot be checked and is respected. The holder removes it when done, and on exit.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs, readFileSync, unlinkSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { z } from 'zod'
import { StudioError } from '../../../shared/errors'
import { writeFileSynced } from '../fs/atomic-write'
import { processIsAlive, processStartTime } from './process-liveness'

export const lockFileName = 'project.lock'

const lockSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  startedAt: z.string(),
  holder: z.string(),
  processStart: z.string().nullable().optional(),
  token: z.string()
})

export type LockInfo = z.infer<typeof lockSchema>

export interface HeldLock {
  readonly file: string
  readonly info: LockInfo
  /** Removes the lock if it is still this holder's; safe to call twice. */
  release(): Promise<void>
}

export interface AcquiredLock {
  lock: HeldLock
  /** Set when a lock left behind by a process that is gone was taken over: what to tell the user. */
  tookOver: string | null
}

export function lockPath(dir: string): string {
  return path.join(path.resolve(dir), lockFileName)
}

/** `2026-12-06 21:04` in local time: how a lock's start reads in a message. */
export function lockTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

/**
 * How long a live holder is given to let go before the lock is refused: a writer whose terminal or
 * window has just gone saves its step and releases the lock within seconds, and running the same
 * command again at once (after Ctrl+C or a kill) should then go on, not be told the project is busy.
 */
export const holderGrace = { ms: 8000, pollMs: 250 }

/** Takes the project's lock for `holder` ("training in vae-studio train (pid 1234)"), or throws a `busy` error naming who has it. */
export async function acquireProjectLock(dir: string, holder: string): Promise<AcquiredLock> {
  const file = lockPath(dir)
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    holder,
    processStart: processStartTime(process.pid),
    token: randomBytes(8).toString('hex')
  }
  let tookOver: string | null = null
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await createExclusive(file, JSON.stringify(info, null, 1) + '\n')) return { lock: holdLock(file, info), tookOver }
    const found = await readLock(file)
    if (found === 'gone') continue
    if (found === 'damaged') {
      // A lock still being written (only where `wx` is used) is younger than a moment.
      if (await youngerThan(file, 2000)) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        continue
      }
      if (await takeAway(file, null)) tookOver = 'took over a damaged project lock file (it named no holder that could be checked)'
      continue
    }
    if (found.host !== info.host) throw lockedError(file, found, info.host)
    if (processIsAlive(found.pid, found.processStart)) {
      if (!(await letGo(file, found))) throw lockedError(file, found, info.host)
      continue
    }
    if (await takeAway(file, found.token))
      tookOver = `took over the lock of a run that ended without releasing it (${found.holder}, started ${lockTime(found.startedAt)})`
  }
  throw new StudioError('busy', `could not take the project's lock (${file}): other programs keep taking it`)
}

/** Waits up to `holderGrace` for the live holder `found` to release the lock (or die); whether it did. */
async function letGo(file: string, found: LockInfo): Promise<boolean> {
  const until = Date.now() + holderGrace.ms
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, holderGrace.pollMs))
    const now = await readLock(file)
    if (now === 'gone' || typeof now === 'string' || now.token !== found.token || !processIsAlive(found.pid, found.processStart))
      return true
  }
  return false
}

/** The lock as it is now, or null when nobody holds it (tests and messages). */
export async function readProjectLock(dir: string): Promise<LockInfo | null> {
  const found = await readLock(lockPath(dir))
  return typeof found === 'string' ? null : found
}

function lockedError(file: string, found: LockInfo, here: string): StudioError {
  const since = lockTime(found.startedAt)
  if (found.host !== here) {
    return new StudioError(
      'busy',
      `this project is in use on ${found.host}: ${found.holder} has been writing to it since ${since}. ` +
        `Wait until it is done there; if nothing runs there any more, delete ${file} and try again`
    )
  }
  return new StudioError(
    'busy',
    `this project is in use: ${found.holder} has been writing to it since ${since}. ` +
      `Wait until it is done, or stop it (Ctrl+C in its terminal, Stop in its window), then try again (lock file: ${file})`
  )
}

/** Creates `file` with `text` unless it exists; true when this call created it. */
async function createExclusive(file: string, text: string): Promise<boolean> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFileSynced(temp, text)
    await fs.link(temp, file)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err
  } finally {
    await fs.rm(temp, { force: true })
  }
  // No hard links here (some network and FAT file systems): exclusive create, then the text.
  try {
    await fs.writeFile(file, text, { flag: 'wx' })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

async function readLock(file: string): Promise<LockInfo | 'gone' | 'damaged'> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw err
  }
  try {
    const parsed = lockSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : 'damaged'
  } catch {
    return 'damaged'
  }
}

async function youngerThan(file: string, ms: number): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => null)
  return stat !== null && Date.now() - stat.mtimeMs < ms
}

/**
 * Moves a stale lock out of the way, as one rename so that two processes taking it over at once
 * cannot both succeed. If what was moved is not the stale lock seen (another process took over in
 * between), it is put back. True when the stale lock is gone.
 */
async function takeAway(file: string, token: string | null): Promise<boolean> {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`
  try {
    await fs.rename(file, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
  const moved = await readLock(aside)
  const same = token === null ? moved === 'damaged' : typeof moved === 'object' && moved.token === token
  if (!same) await fs.link(aside, file).catch(() => undefined)
  await fs.rm(aside, { force: true })
  return same
}

function holdLock(file: string, info: LockInfo): HeldLock {
  const ours = (): boolean => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { token?: unknown }).token === info.token
    } catch {
      return false
    }
  }
  // A process that ends without releasing (an uncaught error, process.exit) still lets go.
  const onExit = (): void => {
    try {
      if (ours()) unlinkSync(file)
    } catch {
      // A disk gone read-only: the next writer finds the lock stale and takes it over.
    }
  }
  process.on('exit', onExit)
  let released = false
  return {
    file,
    info,
    async release() {
      if (released) return
      released = true
      process.off('exit', onExit)
      if (ours()) await fs.rm(file, { force: true })
    }
  }
}
