/**
 * Exact resume: a run stopped and resumed at any step goes on bit for bit as the run that never
 * stopped (weights, Adam's moments and step count, the generator), on the engine thread and on one
 * or two worker threads; also when it was stopped while a lost worker's step waited to be taken
 * again. The uninterrupted runs checkpoint after every step and are shared by all the resumes.
 */
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelConfig } from '../../../shared/config'
import { VaeModel } from '../model/vae-model'
import type { Checkpoint } from '../project/checkpoint-manifest'
import { smallDataset, smallTrain, useWasm } from '../../../../test/support/small-setup'
import { ParallelTrainer } from './parallel/parallel-trainer'
import { startTrainWorker } from './parallel/train-workers'
import type { RunnerOptions } from './start-runner'
import { discriminatorIn } from './sharpen'
import type { StepRunner } from './step-runner'
import { Trainer, type RunRecorder, type TrainerOptions } from './trainer'

/**
 * Tiny on purpose: what is checked is every bit, not what the model learns. The new decoder and the
 * calibrated Gaussian (whose σ² is the last step's error, kept in the checkpoint) are on, so every
 * term of the loss is resumed.
 */
const model: ModelConfig = { imageSize: 32, channels: 3, latentDim: 4, recon: 'gaussian', baseFilters: 4, decoder: 'upsample-conv' }
const data = smallDataset(24)
// 18 training images in batches of 8: 3 steps per epoch, 63 steps, a checkpoint after each.
const config = smallTrain({ epochs: 21, batchSize: 8, checkpointEverySteps: 1, valFraction: 0.25, seed: 5 })
const lastResume = 60

interface Recorded extends RunRecorder {
  checkpoints: Map<number, Checkpoint>
}

function recorder(): Recorded {
  const checkpoints = new Map<number, Checkpoint>()
  return { checkpoints, saveCheckpoint: async (c) => void checkpoints.set(c.step, c), appendHistory: async () => undefined }
}

interface RunOptions extends Partial<TrainerOptions> {
  /** Stop once this step is done. */
  stopAt?: number
  onProgress?: (step: number) => void
  onState?: (trainer: Trainer, state: string, reason?: string) => void
}

function run({ stopAt, onProgress, onState, ...options }: RunOptions) {
  const store = recorder()
  const vae = new VaeModel(model, config.seed)
  const trainer: Trainer = new Trainer({
    model: vae,
    config,
    data,
    store,
    ...options,
    events: {
      progress: (p) => {
        onProgress?.(p.step)
        if (p.step === stopAt) trainer.stop()
      },
      epoch: () => undefined,
      notice: () => undefined,
      state: (s) => onState?.(trainer, s.state, s.reason)
    }
  })
  const done = trainer.run().finally(async () => {
    await trainer.dispose()
    vae.dispose()
  })
  return { store, done }
}

/** Bit-level differences between two checkpoints, in words; empty when they are the same state. */
function differences(a: Checkpoint, b: Checkpoint): string[] {
  const found: string[] = []
  const bits = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)
  const compare = (what: string, xs: Checkpoint['tensors'], ys: Checkpoint['tensors']) => {
    if (xs.length !== ys.length) found.push(`${what}: ${xs.length} vs ${ys.length} tensors`)
    xs.forEach((x, i) => {
      if (!ys[i] || !bits(x.data).equals(bits(ys[i].data))) found.push(`${what} ${x.name}`)
    })
  }
  compare('weights', a.tensors, b.tensors)
  compare('Adam', a.optimizer.tensors, b.optimizer.tensors)
  if (a.optimizer.iterations !== b.optimizer.iterations)
    found.push(`Adam iterations ${a.optimizer.iterations} vs ${b.optimizer.iterations}`)
  if (a.rngState.join() !== b.rngState.join()) found.push('generator state')
  if (a.noiseVariance !== b.noiseVariance) found.push(`Gaussian σ² ${a.noiseVariance} vs ${b.noiseVariance}`)
  compare('discriminator', a.sharpen?.tensors ?? [], b.sharpen?.tensors ?? [])
  const schedule = (c: Checkpoint) => JSON.stringify({ ...c.sharpen, tensors: undefined })
  if (schedule(a) !== schedule(b)) found.push(`sharpen schedule ${schedule(a)} vs ${schedule(b)}`)
  return found
}

/** One set of worker threads for many runs: each run loads its checkpoint into it instead of starting threads. */
function reusing(parallel: ParallelTrainer): (options: RunnerOptions) => Promise<StepRunner> {
  const runner: StepRunner = {
    get meta() {
      return parallel.meta
    },
    step: (request) => parallel.step(request),
    evaluate: (batches, weights) => parallel.evaluate(batches, weights),
    recover: () => parallel.recover(),
    snapshot: () => parallel.snapshot(),
    load: (state) => parallel.load(state),
    syncModel: (m) => parallel.syncModel(m),
    dispose: async () => undefined
  }
  return async ({ resume }) => {
    parallel.load({ ...resume!, discriminator: discriminatorIn(resume!) })
    return runner
  }
}

beforeAll(useWasm)

describe.each([
  { on: 'the engine thread', workers: undefined, run: config },
  { on: '1 worker thread', workers: 1, run: config },
  { on: '2 worker threads', workers: 2, run: config },
  // The discriminator joins at step 20 (and its λ, ramp and guard): every step around it is resumed too.
  { on: '2 worker threads, sharpening', workers: 2, run: { ...config, sharpen: 0.5, sharpenAfter: 20 } }
])('exact resume on $on', ({ workers, run: runConfig }) => {
  let uninterrupted: Recorded
  let shared: ParallelTrainer | null = null

  beforeAll(async () => {
    const straight = run({ workers, config: runConfig })
    await straight.done
    uninterrupted = straight.store
    if (runConfig.sharpen > 0) expect(uninterrupted.checkpoints.get(63)!.sharpen!.discriminatorSteps).toBe(63 - 20)
    if (workers) {
      const first = uninterrupted.checkpoints.get(1)!
      const initial = { ...first, discriminator: discriminatorIn(first) }
      shared = await ParallelTrainer.start({ model, data, learningRate: config.learningRate, initial, workers })
    }
  }, 120_000)
  afterAll(() => shared?.dispose())

  it(`takes the uninterrupted run's next two steps bit for bit when resumed after any of steps 1…${lastResume}`, async () => {
    const diverged: string[] = []
    for (let step = 1; step <= lastResume; step++) {
      const resumed = run({
        workers,
        config: runConfig,
        resumeFrom: uninterrupted.checkpoints.get(step),
        stopAt: step + 2,
        startRunner: shared ? reusing(shared) : undefined
      })
      expect(await resumed.done).toEqual({ state: 'stopped' })
      for (const after of [step + 1, step + 2]) {
        const found = differences(resumed.store.checkpoints.get(after)!, uninterrupted.checkpoints.get(after)!)
        if (found.length > 0) diverged.push(`resumed after ${step}, at ${after}: ${found.slice(0, 3).join(', ')}`)
      }
    }
    expect(diverged).toEqual([])
  }, 300_000)
})

describe('exact resume after a lost worker', () => {
  it('keeps the draws of the step to be taken again when the run is stopped meanwhile', async () => {
    // No checkpoint on the way (every 1000 steps, and 125, 250, 500 before that: none in 63 steps),
    // so the one written on stopping is the one that counts.
    const rare = { ...config, checkpointEverySteps: 1000 }
    const straight = run({ config: rare, workers: 2 })
    await straight.done
    const final = straight.store.checkpoints.get(63)!

    // Worker 1 dies after step 4: the run pauses with step 5 drawn but not taken, and is stopped there.
    const threads: Worker[] = []
    const broken = run({
      config: rare,
      workers: 2,
      startWorker: (init) => {
        const worker = startTrainWorker(init)
        threads.push(worker)
        return worker
      },
      onProgress: (step) => {
        if (step === 4) void threads[1].terminate()
      },
      onState: (trainer, state, reason) => {
        if (state === 'paused' && reason) trainer.stop()
      }
    })
    expect(await broken.done).toEqual({ state: 'stopped' })
    expect([...broken.store.checkpoints.keys()]).toEqual([4])

    const resumed = run({ config: rare, workers: 2, resumeFrom: broken.store.checkpoints.get(4) })
    expect(await resumed.done).toEqual({ state: 'finished' })
    expect(differences(resumed.store.checkpoints.get(63)!, final)).toEqual([])
  }, 120_000)
})
