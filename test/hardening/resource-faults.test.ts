/**
 * Hardening, part 4: the disk fails while training runs, for real: the checkpoints folder turns
 * into a file, the disk fills up (a small tmpfs), the disk turns read-only (the tmpfs remounted).
 * Each time training pauses with the reason instead of failing or crashing, what was saved stays
 * intact, and once the fault is repaired it resumes and saves where it left off, with a history
 * that neither skips nor repeats a step. And a NaN storm, end to end: the run fails with a reason,
 * and the project on disk holds only finite weights and losses.
 */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainConfig } from '../../src/shared/config'
import type { Sample } from '../../src/shared/contract'
import type { TrainState } from '../../src/shared/events'
import { readLatestCheckpoint } from '../../src/main/engine/project/checkpoint-reader'
import { appendHistory, readHistory, type HistoryStepRow } from '../../src/main/engine/project/history-log'
import { createProject } from '../../src/main/engine/project/project-file'
import { projectPaths } from '../../src/main/engine/project/project-paths'
import { smallModel, smallTrain, tempDir, useWasm } from '../support/small-setup'
import { resultOf, sessionHarness, type SessionHarness } from './testing/session-harness'
import { mountTmpfs, type Tmpfs } from './testing/tmpfs'

const isRoot = process.getuid?.() === 0
let root: string
let disk: Tmpfs | null = null
let noDisk = ''

beforeAll(async () => {
  await useWasm()
  root = await tempDir('faults')
  if (isRoot && os.platform() === 'linux') {
    const mounted = await mountTmpfs(path.join(root, 'disk'), 8 * 1024 * 1024)
    if ('reason' in mounted) noDisk = mounted.reason
    else disk = mounted
  } else noDisk = 'mounting a tmpfs needs root on Linux'
  if (noDisk) console.info(`full-disk and read-only-disk cases skipped: ${noDisk}`)
}, 60_000)

afterAll(async () => {
  disk?.unmount()
  if (root) await fs.rm(root, { recursive: true, force: true })
})

const train = (overrides: Parameters<typeof smallTrain>[0] = {}): TrainConfig =>
  smallTrain({ epochs: 500, batchSize: 8, checkpointEverySteps: 1, valFraction: 0.2, seed: 2, ...overrides })

async function newProject(dir: string): Promise<SessionHarness> {
  await createProject(dir, { model: smallModel })
  const harness = sessionHarness()
  resultOf(await harness.ask('projectOpen', { path: dir }))
  resultOf(await harness.ask('datasetDemo', { count: 40, seed: 9, size: 32 }))
  return harness
}

function lastStep(harness: SessionHarness): number {
  return harness.progress().at(-1)?.step ?? 0
}

/** Waits until `steps` more steps have run than now. */
async function stepsMore(harness: SessionHarness, steps: number): Promise<void> {
  const target = lastStep(harness) + steps
  await harness.waitFor('train:progress', (p) => p.step >= target)
}

/** The project as it must be after any fault: intact latest checkpoint, history 1..n without repeats. */
async function expectIntact(dir: string, label: string): Promise<{ step: number; history: HistoryStepRow[] }> {
  const latest = await readLatestCheckpoint(dir)
  expect(latest.problems, label).toEqual([])
  const history = await readHistory(dir)
  expect(history.dropped, label).toBeLessThanOrEqual(1)
  expect(
    history.steps.map((row) => row.step),
    `${label}: history steps`
  ).toEqual(history.steps.map((_, i) => i + 1))
  expect(history.steps.length, label).toBeGreaterThanOrEqual(latest.checkpoint?.step ?? 0)
  return { step: latest.checkpoint?.step ?? 0, history: history.steps }
}

/** Pauses on `fault`, checks nothing moves and nothing saved broke, repairs, resumes and stops. */
async function faultWhileTraining(
  dir: string,
  harness: SessionHarness,
  fault: () => Promise<void>,
  repair: () => Promise<void>,
  reason: RegExp
): Promise<void> {
  const ended = harness.nextEnd()
  resultOf(await harness.ask('trainStart', { model: smallModel, train: train() }))
  await stepsMore(harness, 3)
  const pausesBefore = harness.events.length
  await fault()
  const paused = await harness.waitFor(
    'train:state',
    (s) => s.state === 'paused' && s.reason !== undefined && harness.events.findIndex((e) => e.payload === s) >= pausesBefore
  )
  expect(paused.reason).toMatch(/^could not save to the project folder \(.+\); free some space or fix its permissions, then resume$/)
  expect(paused.reason).toMatch(reason)
  const stuckAt = lastStep(harness)
  await new Promise((resolve) => setTimeout(resolve, 400))
  expect(lastStep(harness), 'training went on while it could not save').toBe(stuckAt)

  await repair()
  await expectIntact(dir, 'while paused')
  resultOf(await harness.ask('trainResume'))
  await stepsMore(harness, 3)
  expect(resultOf<TrainState>(await harness.ask('trainStop')).state).toBe('stopped')
  expect((await ended).state).toBe('stopped')
  const { step } = await expectIntact(dir, 'after resuming')
  expect(step, 'the stop saved the last step').toBe(lastStep(harness))
  expect(harness.events.filter((e) => e.event === 'train:state' && (e.payload as TrainState).state === 'failed')).toEqual([])
  await harness.session.dispose()
}

describe('resource faults while training', () => {
  it('the checkpoints folder turns into a file: paused with the reason, resumes once it is a folder again', async () => {
    const dir = path.join(root, 'Folder.vaeproj')
    const harness = await newProject(dir)
    const { checkpointsDir } = projectPaths(dir)
    const moved = `${checkpointsDir}.moved`
    await faultWhileTraining(
      dir,
      harness,
      async () => {
        await fs.rename(checkpointsDir, moved)
        await fs.writeFile(checkpointsDir, 'not a folder')
      },
      async () => {
        await fs.rm(checkpointsDir)
        await fs.rename(moved, checkpointsDir)
      },
      /ENOTDIR|EEXIST/
    )
  })

  it.skipIf(!isRoot)(
    'the disk fills up (tmpfs): paused with ENOSPC, nothing saved is damaged, resumes once space is freed',
    async ({ skip }) => {
      if (!disk) return skip(noDisk)
      const dir = path.join(disk.dir, 'Full.vaeproj')
      const harness = await newProject(dir)
      let filler = ''
      await faultWhileTraining(
        dir,
        harness,
        async () => {
          filler = await disk!.fill()
        },
        () => fs.rm(filler),
        /ENOSPC|no space left/
      )
      await fs.rm(dir, { recursive: true })
    }
  )

  it.skipIf(!isRoot)('the disk turns read-only (tmpfs remounted): paused with EROFS, resumes once writable', async ({ skip }) => {
    if (!disk) return skip(noDisk)
    const dir = path.join(disk.dir, 'ReadOnly.vaeproj')
    const harness = await newProject(dir)
    await faultWhileTraining(
      dir,
      harness,
      async () => remountRetrying(disk!, 'ro'),
      async () => remountRetrying(disk!, 'rw'),
      /EROFS|read-only/
    )
    await fs.rm(dir, { recursive: true })
  })

  it.skipIf(!isRoot)('a history append that hits a full disk leaves nothing behind: the retry does not repeat rows', async ({ skip }) => {
    if (!disk) return skip(noDisk)
    const dir = path.join(disk.dir, 'History.vaeproj')
    await fs.mkdir(dir)
    const row = (step: number): HistoryStepRow => ({
      step,
      epoch: 0,
      loss: 1000 + step,
      recon: 999,
      kl: 1,
      beta: 1,
      t: 1_700_000_000_000 + step
    })
    // Leave the file's last page part full, then fill the disk: the next append gets in a few
    // lines (to the end of that page) before ENOSPC.
    await appendHistory(
      dir,
      Array.from({ length: 30 }, (_, i) => row(i + 1))
    )
    const filler = await disk.fill()
    const more = Array.from({ length: 100 }, (_, i) => row(31 + i))
    await expect(appendHistory(dir, more)).rejects.toMatchObject({ code: 'ENOSPC' })
    expect((await readHistory(dir)).steps.map((r) => r.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    await fs.rm(filler)
    await appendHistory(dir, more)
    const history = await readHistory(dir)
    expect(history.dropped).toBe(0)
    expect(history.steps.map((r) => r.step)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1))
    await fs.rm(dir, { recursive: true })
  })
})

describe('NaN storm, end to end', () => {
  it('fails with a reason, and leaves only finite weights and losses on disk', async () => {
    const dir = path.join(root, 'Nan.vaeproj')
    const harness = await newProject(dir)
    const ended = harness.nextEnd()
    resultOf(
      await harness.ask('trainStart', {
        model: { ...smallModel, recon: 'mse' },
        train: train({ learningRate: 10, epochs: 5, checkpointEverySteps: 2 })
      })
    )
    const final = await ended
    expect(final.state).toBe('failed')
    expect(final.reason).toMatch(
      /^training diverged: the loss was not a number \d+ times since the checkpoint at step \d+ .*lower the learning rate \(now 10\)/
    )
    const notices = harness.events.filter((e) => e.event === 'train:notice')
    expect(notices.length).toBeGreaterThan(0)
    const latest = await readLatestCheckpoint(dir)
    expect(latest.problems).toEqual([])
    for (const tensor of [...(latest.checkpoint?.tensors ?? []), ...(latest.checkpoint?.optimizer.tensors ?? [])]) {
      expect(tensor.data.every(Number.isFinite), tensor.name).toBe(true)
    }
    const history = await readHistory(dir)
    for (const row of history.steps) expect([row.loss, row.recon, row.kl].every(Number.isFinite), `step ${row.step}`).toBe(true)
    // The project still serves inference from what was saved.
    const sample = resultOf<Sample>(await harness.ask('modelSample', { count: 2, temperature: 1, seed: 1 }))
    expect(sample.z.flat().every(Number.isFinite)).toBe(true)
    await harness.session.dispose()
  })
})

/** A remount fails with EBUSY while a file is open for writing; the trainer closes its files quickly. */
async function remountRetrying(disk: Tmpfs, options: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      disk.remount(options)
      return
    } catch (err) {
      if (attempt >= 50) throw err
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}
