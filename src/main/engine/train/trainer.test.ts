import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import type { TrainEpoch, TrainNotice, TrainState } from '../../../shared/events'
import { VaeModel } from '../model/vae-model'
import type { NamedArray } from '../project/checkpoint-manifest'
import { readLatestCheckpoint } from '../project/checkpoint-reader'
import { createProject } from '../project/project-file'
import { readHistory } from '../project/history-log'
import { projectRunRecorder } from '../session/project-run-recorder'
import { smallDataset, smallModel, smallTrain, tempDir, useWasm } from '../../../../test/support/small-setup'
import { startTrainWorker } from './parallel/train-workers'
import { startSourceWorker } from '../workers/start-worker'
import { Trainer, type TrainerOptions } from './trainer'

const dirs: string[] = []

async function newProject(): Promise<string> {
  const dir = await tempDir('trainer')
  dirs.push(dir)
  const project = `${dir}/t.vaeproj`
  await createProject(project)
  return project
}

function collect() {
  const epochs: TrainEpoch[] = []
  const states: TrainState[] = []
  const notices: TrainNotice[] = []
  const events: TrainerOptions['events'] = {
    progress: () => undefined,
    epoch: (e) => epochs.push(e),
    state: (s) => states.push(s),
    notice: (n) => notices.push(n)
  }
  return { epochs, states, notices, events }
}

beforeAll(useWasm)
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })))
})

describe('trainer', () => {
  const data = smallDataset()

  it('trains 50 steps without leaking tensors, writing checkpoints and history', async () => {
    const project = await newProject()
    const model = new VaeModel(smallModel, 1)
    const before = tf.memory().numTensors
    const { epochs, states, events } = collect()
    // 48 images, 20% held out → 39 train → 3 steps/epoch; 17 epochs ≈ 51 steps.
    const trainer = new Trainer({
      model,
      config: smallTrain({ epochs: 17, checkpointEverySteps: 10 }),
      data,
      store: projectRunRecorder(project),
      events
    })
    const final = await trainer.run()
    trainer.dispose()
    expect(final.state).toBe('finished')
    expect(trainer.currentStep).toBeGreaterThanOrEqual(50)
    expect(tf.memory().numTensors).toBe(before)
    expect(states.map((s) => s.state)).toEqual(['running', 'finished'])
    expect(epochs).toHaveLength(17)
    expect(epochs[0].reconstructions).toHaveLength(16)
    expect(epochs[0].samples).toHaveLength(16)
    expect(epochs[0].klPerDim).toHaveLength(8)
    const history = await readHistory(project)
    expect(history.steps).toHaveLength(trainer.currentStep)
    expect(history.epochs).toHaveLength(17)
    const { checkpoint } = await readLatestCheckpoint(project)
    expect(checkpoint?.step).toBe(trainer.currentStep)
    model.dispose()
  })

  it('resumes from a checkpoint exactly as if it had never stopped', async () => {
    const straightProject = await newProject()
    const straight = new VaeModel(smallModel, 5)
    const run = new Trainer({
      model: straight,
      config: smallTrain({ epochs: 4, seed: 5, augmentFlip: true }),
      data,
      store: projectRunRecorder(straightProject),
      events: collect().events
    })
    await run.run()
    run.dispose()

    const resumedProject = await newProject()
    const first = new VaeModel(smallModel, 5)
    const firstRun = new Trainer({
      model: first,
      config: smallTrain({ epochs: 2, seed: 5, augmentFlip: true }),
      data,
      store: projectRunRecorder(resumedProject),
      events: collect().events
    })
    await firstRun.run()
    firstRun.dispose()
    first.dispose()
    const { checkpoint } = await readLatestCheckpoint(resumedProject)
    expect(checkpoint?.step).toBe(6)
    // A fresh model in a fresh trainer, as after a restart of the process.
    const second = new VaeModel(smallModel, 99)
    const secondRun = new Trainer({
      model: second,
      config: smallTrain({ epochs: 4, seed: 5, augmentFlip: true }),
      data,
      store: projectRunRecorder(resumedProject),
      events: collect().events,
      resumeFrom: checkpoint
    })
    await secondRun.run()
    secondRun.dispose()
    const a = straight.weightArrays()
    const b = second.weightArrays()
    expect(b).toHaveLength(a.length)
    a.forEach((w, i) => expect(Array.from(b[i].data)).toEqual(Array.from(w.data)))
    straight.dispose()
    second.dispose()
  })

  it('counts epochs by images seen when the batch size changes on resume: no epoch is reported twice (issue 19.8)', async () => {
    const project = await newProject()
    // 39 training images: batches of 16 are 16, 16, 7; of 8 they are 8, 8, 8, 8, 7.
    const first = new VaeModel(smallModel, 3)
    const firstEvents = collect()
    const firstRun = new Trainer({
      model: first,
      config: { ...smallTrain({ seed: 3, batchSize: 16 }), length: { unit: 'steps', amount: 4 } },
      data,
      store: projectRunRecorder(project),
      events: firstEvents.events
    })
    await firstRun.run()
    firstRun.dispose()
    first.dispose()
    const { checkpoint } = await readLatestCheckpoint(project)
    expect(checkpoint).toMatchObject({ step: 4, epoch: 1, imagesSeen: 39 + 16 })
    expect(firstEvents.epochs.map((e) => e.epoch)).toEqual([1]) // epochs count from 1 as they finish

    const second = new VaeModel(smallModel, 3)
    const secondEvents = collect()
    const steps: Array<{ step: number; imagesSeen: number }> = []
    const secondRun = new Trainer({
      model: second,
      config: smallTrain({ seed: 3, batchSize: 8, epochs: 4 }),
      data,
      store: projectRunRecorder(project),
      events: { ...secondEvents.events, progress: (p) => steps.push({ step: p.step, imagesSeen: p.imagesSeen }) },
      resumeFrom: checkpoint
    })
    expect((await secondRun.run()).state).toBe('finished')
    secondRun.dispose()
    second.dispose()
    // The rest of the second epoch (23 images: 8, 8, 7), then two more of five steps each.
    expect(secondEvents.epochs.map((e) => e.epoch)).toEqual([2, 3, 4])
    expect(steps.map((s) => s.imagesSeen).slice(0, 3)).toEqual([63, 71, 78])
    expect(steps.at(-1)).toEqual({ step: 4 + 3 + 10, imagesSeen: 4 * 39 })
    const history = await readHistory(project)
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4])
    expect(history.steps.map((r) => r.step)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1))
  })

  it('applies a β change from the next step and pauses and resumes', async () => {
    const project = await newProject()
    const model = new VaeModel(smallModel, 2)
    const betas: number[] = []
    const { events, states } = collect()
    const trainer = new Trainer({
      model,
      config: smallTrain({ epochs: 3, beta: 1 }),
      data,
      store: projectRunRecorder(project),
      events: {
        ...events,
        progress: (p) => {
          betas.push(p.beta)
          if (p.step === 2) trainer.setBeta(4)
          if (p.step === 4) {
            trainer.pause()
            setTimeout(() => trainer.resume(), 50)
          }
        }
      }
    })
    await trainer.run()
    trainer.dispose()
    expect(betas.slice(0, 2)).toEqual([1, 1])
    expect(betas.slice(2)).toEqual(new Array(betas.length - 2).fill(4))
    expect(states.map((s) => s.state)).toEqual(['running', 'paused', 'running', 'finished'])
    model.dispose()
  })

  it('catches a NaN storm from an absurd learning rate and reports it', async () => {
    const project = await newProject()
    const model = new VaeModel({ ...smallModel, recon: 'mse' }, 3)
    const { events, states, notices } = collect()
    const trainer = new Trainer({
      model,
      config: smallTrain({ epochs: 5, learningRate: 10, beta: 1 }),
      data,
      store: projectRunRecorder(project),
      events
    })
    const final = await trainer.run()
    trainer.dispose()
    expect(final.state).toBe('failed')
    expect(final.reason).toMatch(/learning rate/)
    expect(notices.length).toBeGreaterThan(0)
    expect(states.at(-1)?.state).toBe('failed')
    // The weights left in the model are the last good ones: all finite.
    for (const w of model.weightArrays()) expect(w.data.every(Number.isFinite)).toBe(true)
    model.dispose()
  })
})

describe('trainer when the disk refuses a save', () => {
  it('pauses with the reason, keeps what was saved, and saves again on resume', async () => {
    const project = await newProject()
    const model = new VaeModel(smallModel, 4)
    const real = projectRunRecorder(project)
    let failing = false
    const states: TrainState[] = []
    const trainer = new Trainer({
      model,
      config: smallTrain({ epochs: 2, checkpointEverySteps: 2 }),
      data: smallDataset(),
      store: {
        appendHistory: real.appendHistory,
        saveCheckpoint: async (c) => {
          if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
          await real.saveCheckpoint(c)
        }
      },
      events: {
        ...collect().events,
        progress: (p) => {
          if (p.step === 3) failing = true
        },
        state: (s) => {
          states.push(s)
          if (s.state === 'paused') {
            failing = false
            setTimeout(() => trainer.resume(), 20)
          }
        }
      }
    })
    const final = await trainer.run()
    trainer.dispose()
    model.dispose()
    expect(final.state).toBe('finished')
    const paused = states.find((s) => s.state === 'paused')
    expect(paused?.reason).toMatch(/could not save to the project folder \(ENOSPC/)
    const { checkpoint } = await readLatestCheckpoint(project)
    expect(checkpoint?.step).toBe(trainer.currentStep)
  })

  it('trains on worker threads: the same run whether it resumes on two workers or one, and the engine thread holds no tensor of it', async () => {
    const config = (epochs: number) => smallTrain({ epochs, seed: 8, augmentFlip: true })
    const data = smallDataset()
    const before = tf.memory().numTensors
    const straightProject = await newProject()
    const straight = new VaeModel(smallModel, 8)
    const straightRun = new Trainer({
      model: straight,
      config: config(4),
      data,
      store: projectRunRecorder(straightProject),
      events: collect().events,
      workers: 2
    })
    expect((await straightRun.run()).state).toBe('finished')
    await straightRun.dispose()

    const project = await newProject()
    const first = new VaeModel(smallModel, 8)
    const { epochs, events } = collect()
    const firstRun = new Trainer({ model: first, config: config(2), data, store: projectRunRecorder(project), events, workers: 2 })
    await firstRun.run()
    await firstRun.dispose()
    first.dispose()
    expect(epochs).toHaveLength(2)
    expect(epochs[1].valLoss).toBeLessThan(epochs[0].valLoss + 50)
    const { checkpoint } = await readLatestCheckpoint(project)
    expect(checkpoint?.meta).toEqual({ shards: 2 })
    // Resumed on one worker: its two shards keep the numbers of the two-worker run.
    const second = new VaeModel(smallModel, 99)
    const secondRun = new Trainer({
      model: second,
      config: config(4),
      data,
      store: projectRunRecorder(project),
      events: collect().events,
      resumeFrom: checkpoint,
      workers: 1
    })
    await secondRun.run()
    await secondRun.dispose()
    const a = straight.weightArrays()
    second.weightArrays().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(a[i].data)))
    straight.dispose()
    second.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  /** The run the two tests below must end up equal to: 3 epochs on two workers, nothing lost. */
  let unbroken: Promise<NamedArray[]> | null = null
  const unbrokenRun = (): Promise<NamedArray[]> =>
    (unbroken ??= (async () => {
      const straight = new VaeModel(smallModel, 9)
      const run = new Trainer({
        model: straight,
        config: smallTrain({ epochs: 3, seed: 9 }),
        data: smallDataset(),
        store: projectRunRecorder(await newProject()),
        events: collect().events,
        workers: 2
      })
      await run.run()
      await run.dispose()
      const weights = straight.weightArrays()
      straight.dispose()
      return weights
    })())

  /** A two-worker run whose threads `startWorker` starts, resumed as soon as it pauses. */
  async function runThroughPause(
    startWorker: NonNullable<TrainerOptions['startWorker']>,
    extra: Partial<TrainerOptions> = {},
    onProgress: (step: number) => void = () => undefined
  ) {
    const model = new VaeModel(smallModel, 9)
    const { states, events } = collect()
    const trainer: Trainer = new Trainer({
      model,
      config: smallTrain({ epochs: 3, seed: 9 }),
      data: smallDataset(),
      store: projectRunRecorder(await newProject()),
      workers: 2,
      startWorker,
      ...extra,
      events: {
        ...events,
        progress: (p) => onProgress(p.step),
        state: (s) => {
          events.state(s)
          if (s.state === 'paused') setTimeout(() => trainer.resume(), 20)
        }
      }
    })
    const final = await trainer.run()
    await trainer.dispose()
    const weights = model.weightArrays()
    model.dispose()
    return { final, states, weights }
  }

  it('pauses with the reason when a training worker dies, and on resume finishes the run on the workers left, as if nothing happened', async () => {
    const threads: Worker[] = []
    const { final, states, weights } = await runThroughPause(
      (init) => {
        const worker = startTrainWorker(init)
        threads.push(worker)
        return worker
      },
      {},
      (step) => {
        if (step === 2) void threads[1].terminate()
      }
    )
    expect(final.state).toBe('finished')
    expect(states[1]).toMatchObject({
      state: 'paused',
      reason: expect.stringMatching(/training worker 1 stopped.*1 of 2 worker\(s\) left/)
    })
    expect(states.map((s) => s.state)).toEqual(['running', 'paused', 'running', 'finished'])
    const expected = await unbrokenRun()
    weights.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(expected[i].data)))
  })

  it('stops a training worker that hangs, pauses with the reason, and on resume finishes on the workers left, as if nothing happened', async () => {
    // Worker 1 blocks for good at its fourth step; the watchdog allows 50× the median step, at least 2 s.
    const stuckWorker = path.resolve(__dirname, '../../../../test/support/stuck-train-worker.ts')
    const { final, states, weights } = await runThroughPause(
      (init) => startSourceWorker(stuckWorker, { workerData: { ...init, stuck: { rank: 1, atStep: 4 } } }),
      { watchdog: { factor: 50, minMs: 2000 } }
    )
    expect(final.state).toBe('finished')
    expect(states[1]).toMatchObject({
      state: 'paused',
      reason: expect.stringMatching(
        /^training worker 1 did not answer for [\d.]+ s \(steps take [\d.]+ s\); it was stopped — Resume goes on with 1 worker$/
      )
    })
    expect(states.map((s) => s.state)).toEqual(['running', 'paused', 'running', 'finished'])
    // The step it hung in was taken again with the same draws on the worker left.
    const expected = await unbrokenRun()
    weights.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(expected[i].data)))
  })
})
