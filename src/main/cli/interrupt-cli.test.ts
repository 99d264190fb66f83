/**
 * A terminal's Ctrl+C, a second trainer, a parent that disappears: real CLI and engine processes,
 * real signals sent to the process group as a terminal sends them, on the built-in demo faces (no
 * data set needed).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listCheckpoints } from '../engine/project/checkpoint-list'
import { readProjectLock } from '../engine/project/project-lock'
import { processIsAlive } from '../engine/project/process-liveness'

const bin = path.resolve(__dirname, '../../../bin/vae-studio.js')
const small = ['--latent', '8', '--epochs', '50', '--checkpoint-every', '1000', '--quality', 'off', '--json']
let root: string
const started: ChildProcess[] = []

type Row = Record<string, unknown>

/** A CLI run in its own process group, as a shell runs a command; its JSON records as they come. */
function cli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let out = ''
  let err = ''
  const waiters = new Set<() => void>()
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    waiters.forEach((check) => check())
  })
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const records = (): Row[] =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .map((l) => JSON.parse(l) as Row)
  const steps = (): number[] =>
    records()
      .filter(isStep)
      .map((r) => r.step as number)
  /** Resolves once a record matches; rejects when the CLI ends first. */
  const until = (match: (r: Row) => boolean): Promise<Row> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = records().find(match)
        if (found) {
          waiters.delete(check)
          resolve(found)
        }
      }
      waiters.add(check)
      check()
      void exited.then(() => {
        check()
        reject(new Error(`the CLI ended first:\n${out}\n${err}`))
      })
    })
  return { child, exited, records, steps, until, stderr: () => err }
}

/** A training step's progress record (not the demo import's). */
const isStep = (r: Row): boolean => r.type === 'progress' && r.task === 'train'
const progressAt = (step: number) => (r: Row) => isStep(r) && (r.step as number) >= step

async function latestStep(project: string): Promise<number | undefined> {
  return (await listCheckpoints(project)).find((c) => c.latest)?.step
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), 'vae-interrupt-'))
})
afterAll(async () => {
  // A test that failed half-way leaves its processes: ended here (a group already gone is fine).
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // ESRCH: nothing left of it.
    }
  }
  await fs.rm(root, { recursive: true, force: true })
})

describe('vae-studio train, interrupted', () => {
  it('refuses a second trainer naming the first; a group Ctrl+C saves the current step and exits 130', { timeout: 240_000 }, async () => {
    const project = path.join(root, 'one.vaeproj')
    const first = cli(['train', project, '--batch', '16', '--size', '32', ...small])
    await first.until(progressAt(3))

    const second = cli(['train', project, '--batch', '16', '--size', '32', ...small])
    expect(await second.exited).toBe(1)
    const refusal = second.records().find((r) => r.type === 'error')
    expect(refusal?.code).toBe('busy')
    expect(refusal?.message).toMatch(
      new RegExp(`^this project is in use: training in vae-studio train \\(pid ${first.child.pid}\\) has been`)
    )
    expect(second.steps()).toEqual([])

    process.kill(-first.child.pid!, 'SIGINT')
    expect(await first.exited, first.stderr()).toBe(130)
    const last = first.steps().at(-1)!
    const saved = first.records().find((r) => r.message === 'saved')
    expect(saved).toMatchObject({ step: last, path: path.join(project, 'checkpoints', `step-${String(last).padStart(9, '0')}`) })
    expect(await latestStep(project)).toBe(last)
    expect(await readProjectLock(project)).toBeNull()
  })

  it('saves and ends the engine when its CLI is gone (killed alone, the channel closed)', { timeout: 240_000 }, async () => {
    const project = path.join(root, 'one.vaeproj')
    const run = cli(['train', project, '--batch', '16', '--size', '32', ...small])
    const from = (await run.until(isStep)).step as number
    await run.until(progressAt(from + 2))
    const engine = (await readProjectLock(project))!.pid
    expect(engine).not.toBe(run.child.pid)
    run.child.kill('SIGKILL')
    await run.exited
    const seen = run.steps().at(-1)!
    for (let i = 0; i < 600 && processIsAlive(engine); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(processIsAlive(engine)).toBe(false)
    expect(await latestStep(project)).toBeGreaterThanOrEqual(seen)
    expect(await readProjectLock(project)).toBeNull()
  })

  it(
    'a second Ctrl+C quits at once, says what was not saved; the lock it leaves is taken over next time',
    { timeout: 240_000 },
    async () => {
      // Big batches of big images: each step takes seconds, so the second Ctrl+C comes before any save.
      // The first Ctrl+C comes once a step has been reported, so the next one is surely under way
      // (a fixed wait after 'running' could land before the worker threads had started, on a busy machine).
      const project = path.join(root, 'slow.vaeproj')
      const run = cli(['train', project, '--batch', '1024', '--size', '64', ...small])
      await run.until(isStep)
      process.kill(-run.child.pid!, 'SIGINT')
      await run.until((r) => r.message === 'stopping')
      // Later than a relay of the same Ctrl+C (relayMs), as a person presses again.
      await new Promise((resolve) => setTimeout(resolve, 800))
      process.kill(-run.child.pid!, 'SIGINT')
      expect(await run.exited).toBe(130)
      const quit = run.records().find((r) => r.message === 'quit without saving')
      expect(quit, JSON.stringify(run.records().filter((r) => r.type !== 'progress'))).toMatchObject({ checkpoint: null })
      expect(await latestStep(project)).toBeUndefined()
      const left = await readProjectLock(project)
      expect(left).not.toBeNull()
      expect(processIsAlive(left!.pid, left!.processStart)).toBe(false)

      const next = cli(['train', project, '--batch', '1024', '--size', '64', ...small])
      const note = await next.until((r) => r.type === 'notice' && String(r.message).startsWith('took over'))
      expect(note.message).toMatch(
        new RegExp(
          `^took over the lock of a run that ended without releasing it \\(training in vae-studio train \\(pid ${run.child.pid}\\)`
        )
      )
      process.kill(-next.child.pid!, 'SIGKILL')
      await next.exited
    }
  )
})
