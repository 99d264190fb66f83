/**
 * Hardening, part 2: crash safety of training itself. The real engine process trains a tiny model
 * and is SIGKILLed at seeded random moments (while starting, while stepping, while writing
 * checkpoints and history); after every kill the project must open, its latest checkpoint must
 * load without problems, its history must read with at most one torn line and no gap or
 * duplicate, no more steps may be lost than those since the last checkpoint, and the next run
 * must resume from that checkpoint: its first step is the checkpoint's plus one, with the loss the
 * killed run computed for that step whenever that run got to record it.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainConfig } from '../../src/shared/config'
import { unwrapEnvelope } from '../../src/shared/errors'
import type { TrainProgress, TrainState } from '../../src/shared/events'
import { EngineClient } from '../../src/main/host/engine-client'
import { readLatestCheckpoint } from '../../src/main/engine/project/checkpoint-reader'
import { readHistory, truncateHistoryAfter, type HistoryStepRow } from '../../src/main/engine/project/history-log'
import { openProject } from '../../src/main/engine/project/project-file'
import { projectPaths } from '../../src/main/engine/project/project-paths'
import { Rng } from '../../src/main/engine/random/rng'
import { smallModel, smallTrain, tempDir } from '../support/small-setup'
import type { Bundle } from './testing/bundle-script'
import { bundleEngine, forkBundledEngine, type BundledEngine } from './testing/bundled-engine'
import { withTimeout } from './testing/with-timeout'

const kills = 22
const seed = 20240611
const readyTimeoutMs = 30_000

let bundle: Bundle
let root: string

beforeAll(async () => {
  bundle = await bundleEngine()
  root = await tempDir('train-crash')
}, 60_000)

afterAll(async () => {
  await bundle?.remove()
  if (root) await fs.rm(root, { recursive: true, force: true })
})

interface Engine {
  client: EngineClient
  process: BundledEngine
  progress: TrainProgress[]
  states: TrainState[]
  /** Resolves at the first progress event numbered `count` or later in this process's life. */
  progressCount(count: number): Promise<void>
}

async function startEngine(): Promise<Engine> {
  let process!: BundledEngine
  const client = new EngineClient({ launch: () => (process = forkBundledEngine(bundle.file)), restartOnCrash: false })
  const progress: TrainProgress[] = []
  const states: TrainState[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  client.subscribe((event, payload) => {
    if (event === 'train:state') states.push(payload as TrainState)
    if (event !== 'train:progress') return
    progress.push(payload as TrainProgress)
    for (const waiter of waiters.filter((w) => progress.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  await withTimeout(client.whenReady(), readyTimeoutMs, 'engine start')
  return {
    client,
    process,
    progress,
    states,
    progressCount: (count) => new Promise((resolve) => (progress.length >= count ? resolve() : waiters.push({ count, resolve })))
  }
}

async function call(engine: Engine, method: string, params: unknown): Promise<unknown> {
  return unwrapEnvelope(await withTimeout(engine.client.request(method, params), 60_000, method))
}

/** Steps 1..n exactly, in order: the history neither skips nor repeats a step. */
function expectContiguous(rows: HistoryStepRow[], label: string): void {
  expect(
    rows.map((row) => row.step),
    label
  ).toEqual(rows.map((_, i) => i + 1))
}

describe('training crash safety (real engine process, SIGKILL)', () => {
  it(`survives ${kills} SIGKILLs during training and checkpoint writes, and resumes exactly each time`, async () => {
    const rng = new Rng(seed)
    const project = path.join(root, 'Crash.vaeproj')
    const setup = await startEngine()
    await call(setup, 'projectCreate', { path: project })
    await call(setup, 'datasetDemo', { count: 40, seed: 5, size: 32 })
    setup.client.dispose()
    await setup.process.exited

    let durable = 0
    let resumesChecked = 0
    let lossesCompared = 0
    let debris = 0
    let torn = 0
    /** Losses of steps the killed run recorded beyond its checkpoint: the resumed run must repeat them. */
    let recordedBeyond = new Map<number, number>()
    for (let round = 0; round <= kills; round++) {
      const every = 1 + rng.int(3)
      const train: TrainConfig = smallTrain({ epochs: 400, batchSize: 8, checkpointEverySteps: every, valFraction: 0.2, seed: 3 })
      const engine = await startEngine()
      await call(engine, 'projectOpen', { path: project })
      const label = `round ${round} (checkpoint every ${every})`

      if (round === kills) {
        // A last, clean run: it resumes like the others and stops when asked.
        await call(engine, 'trainStart', { model: smallModel, train })
        await withTimeout(engine.progressCount(2), 60_000, 'first steps of the last run')
        expect(engine.progress[0].step, label).toBe(durable + 1)
        const stopped = (await call(engine, 'trainStop', undefined)) as TrainState
        expect(stopped.state).toBe('stopped')
        const latest = await readLatestCheckpoint(project)
        expect(latest.checkpoint?.step).toBeGreaterThanOrEqual(engine.progress.at(-1)!.step)
        engine.client.dispose()
        await engine.process.exited
        break
      }

      // Kill while the run starts (project save, history truncation, model build) or after a
      // random number of steps plus a random delay, which lands in steps and in writes alike.
      const duringStart = rng.next() < 0.2
      const stepsBeforeKill = 1 + rng.int(6)
      const delayMs = rng.int(duringStart ? 400 : 60)
      const started = call(engine, 'trainStart', { model: smallModel, train }).catch(() => null)
      if (duringStart) await new Promise((resolve) => setTimeout(resolve, delayMs))
      else {
        await withTimeout(engine.progressCount(stepsBeforeKill), 60_000, `${label}: ${stepsBeforeKill} steps`)
        await new Promise((resolve) => setTimeout(resolve, delayMs))
      }
      engine.process.kill()
      expect(await engine.process.exited, label).toBe('killed (SIGKILL)')
      await started

      if (engine.progress.length > 0) {
        // The run resumed from the checkpoint the previous kill left, and redid its next step exactly.
        const first = engine.progress[0]
        expect(first.step, `${label}: first step after resuming from ${durable}`).toBe(durable + 1)
        resumesChecked++
        const before = recordedBeyond.get(first.step)
        if (before !== undefined) {
          expect(first.loss, `${label}: loss of step ${first.step}`).toBe(before)
          lossesCompared++
        }
      }

      await openProject(project)
      const latest = await readLatestCheckpoint(project)
      expect(latest.problems, label).toEqual([])
      expect(latest.fellBackFrom, label).toBeUndefined()
      const step = latest.checkpoint?.step ?? 0
      expect(step, `${label}: checkpoints only move forward`).toBeGreaterThanOrEqual(durable)
      // Progress for step p is sent after the checkpoint before it is on disk: at most `every` steps are lost.
      const lastSeen = engine.progress.at(-1)?.step ?? 0
      expect(step, `${label}: lost steps (saw ${lastSeen})`).toBeGreaterThanOrEqual(lastSeen - every)

      const history = await readHistory(project)
      expect(history.dropped, label).toBeLessThanOrEqual(1)
      torn += history.dropped
      expectContiguous(history.steps, label)
      expect(history.steps.length, label).toBeGreaterThanOrEqual(step)
      recordedBeyond = new Map(history.steps.filter((row) => row.step > step).map((row) => [row.step, row.loss]))

      // What resuming makes of it, on a copy: the next run must do the same cut itself.
      const scratch = path.join(root, `scratch-${round}`)
      await fs.mkdir(scratch)
      // A kill before the first row leaves no history file at all, which is a valid state too.
      await fs.copyFile(projectPaths(project).historyFile, projectPaths(scratch).historyFile).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err
      })
      await truncateHistoryAfter(scratch, step)
      const kept = await readHistory(scratch)
      expect(kept.dropped, label).toBe(0)
      expectContiguous(kept.steps, label)
      expect(kept.steps.length, label).toBe(step)

      const entries = await fs.readdir(projectPaths(project).checkpointsDir)
      if (entries.some((name) => name.startsWith('.'))) debris++
      durable = step
    }
    console.info(
      `training crash test: ${kills} SIGKILLs (seed ${seed}); ${resumesChecked} resumes checked, ${lossesCompared} with the killed run's loss; ` +
        `${debris} kills left checkpoint debris, ${torn} a torn history line; final checkpoint at step ${durable}`
    )
    expect(resumesChecked).toBeGreaterThanOrEqual(kills * 0.6)
    expect(durable).toBeGreaterThan(0)
  }, 240_000)
})
