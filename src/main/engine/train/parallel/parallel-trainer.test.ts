import { execFile } from 'node:child_process'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../../tf'
import { initialGaussianVariance, reparameterize, vaeLoss } from '../../model/losses'
import { VaeModel } from '../../model/vae-model'
import type { NamedArray } from '../../project/checkpoint-manifest'
import { Rng } from '../../random/rng'
import { smallDataset, smallModel, useWasm } from '../../../../../test/support/small-setup'
import { buildBatch } from '../batch-builder'
import { evaluate } from '../held-out'
import { loadOptimizerState } from '../optimizer-state'
import { trainStep } from '../train-step'
import type { HeldOutTerms, LostWorker, StepRequest, StepResult } from '../step-runner'
import { ParallelTrainer, type ParallelTrainerOptions } from './parallel-trainer'
import { startTrainWorker } from './train-workers'
import { readSchedStat } from './thread-stats'

const data = smallDataset(48)
const { latentDim } = smallModel
const lr = 2e-3

/** The trainer's draws for one step: rows, flips, ε, from one generator, as `Trainer` draws them. */
function request(rng: Rng, batchSize: number, beta = 1, noiseVariance = initialGaussianVariance): StepRequest {
  const rows = Array.from({ length: batchSize }, () => rng.int(data.count))
  const flips = rows.map(() => rng.next() < 0.5)
  const eps = new Float32Array(batchSize * latentDim).map(() => rng.normal())
  return { rows, flips, eps, beta, noiseVariance }
}

/** The engine thread's trainer: the reference every parallel result is held to. */
function reference(seed = 1) {
  const model = new VaeModel(smallModel, seed)
  const optimizer = tf.train.adam(lr)
  return {
    model,
    optimizer,
    step: (r: StepRequest) =>
      trainStep({
        model,
        optimizer,
        batch: buildBatch(data, r.rows, r.flips),
        eps: r.eps,
        batchSize: r.rows.length,
        beta: r.beta,
        noiseVariance: r.noiseVariance
      }),
    dispose: () => {
      optimizer.dispose()
      model.dispose()
    }
  }
}

function referenceGradient(model: VaeModel, r: StepRequest): Float32Array {
  const n = r.rows.length
  const { value, grads } = tf.variableGrads(() => {
    const x = tf.tensor4d(buildBatch(data, r.rows, r.flips), [n, smallModel.imageSize, smallModel.imageSize, smallModel.channels])
    const { mu, logVar } = model.encode(x)
    const logits = model.decodeLogits(reparameterize(mu, logVar, tf.tensor2d(r.eps, [n, latentDim])))
    return vaeLoss({ x, logits, mu, logVar, beta: r.beta, noiseVariance: r.noiseVariance, kind: model.config.recon }).loss
  }, model.trainableVariables)
  const flat = new Float32Array(model.trainableVariables.reduce((a, v) => a + v.size, 0))
  let offset = 0
  for (const v of model.trainableVariables) {
    const d = grads[v.name].dataSync()
    flat.set(d, offset)
    offset += d.length
  }
  tf.dispose([value, ...Object.values(grads)])
  return flat
}

/** The answer of a step or an evaluation that must not have lost a worker. */
function done<T extends StepResult | HeldOutTerms>(answer: T | LostWorker): T {
  if ('lost' in answer) throw new Error(`unexpected: ${answer.lost}`)
  return answer
}

/** Largest |a − b| relative to the largest |b|. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let diff = 0
  let scale = 0
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]))
    scale = Math.max(scale, Math.abs(b[i]))
  }
  return diff / scale
}

function flat(arrays: NamedArray[]): Float32Array {
  const out = new Float32Array(arrays.reduce((a, t) => a + t.data.length, 0))
  let offset = 0
  for (const t of arrays) {
    out.set(t.data, offset)
    offset += t.data.length
  }
  return out
}

describe('ParallelTrainer', () => {
  const trainers: ParallelTrainer[] = []
  const start = async (options: Partial<ParallelTrainerOptions> & { workers: number }) => {
    const trainer = await ParallelTrainer.start({
      model: smallModel,
      data,
      learningRate: lr,
      initial: { tensors: new VaeModel(smallModel, 1).weightArrays() },
      ...options
    })
    trainers.push(trainer)
    return trainer
  }

  beforeAll(useWasm)
  afterEach(async () => {
    await Promise.all(trainers.splice(0).map((t) => t.dispose()))
  })

  it.each([
    ['binary cross-entropy', 'bce', initialGaussianVariance],
    ['the calibrated Gaussian (σ² given with the step)', 'gaussian', 0.02]
  ] as const)(
    'sums the shards’ gradients into the whole batch’s gradient with %s (2 and 3 shards vs 1, odd batch)',
    async (_, recon, noiseVariance) => {
      const config = { ...smallModel, recon }
      const model = new VaeModel(config, 1)
      const r = request(new Rng(5), 15, 1, noiseVariance)
      const expected = referenceGradient(model, r)
      const results: Record<string, { gradient: Float32Array; loss: number }> = {}
      for (const [workers, shards] of [
        [1, 1],
        [2, 2],
        [3, 3],
        [1, 2]
      ]) {
        const trainer = await start({ workers, shards, model: config })
        const { loss } = done(await trainer.step(r))
        results[`${workers}/${shards}`] = { gradient: trainer.lastGradient(), loss }
      }
      // One shard runs exactly the engine thread's step: the same gradient to the bit.
      expect(Array.from(results['1/1'].gradient)).toEqual(Array.from(expected))
      for (const key of ['2/2', '3/3']) {
        expect(relativeDifference(results[key].gradient, expected), key).toBeLessThan(1e-5)
        expect(results[key].loss).toBeCloseTo(results['1/1'].loss, 2)
      }
      // The shards decide the numbers, not the threads that compute them.
      expect(Array.from(results['1/2'].gradient)).toEqual(Array.from(results['2/2'].gradient))
      expect(results['1/2'].loss).toBe(results['2/2'].loss)
      model.dispose()
    }
  )

  it('trains to the same weights as the engine thread’s trainer: exactly with 1 worker, to float tolerance with 2', async () => {
    const one = await start({ workers: 1 })
    const two = await start({ workers: 2 })
    const ref = reference()
    const rng = new Rng(9)
    for (let i = 0; i < 8; i++) {
      const r = request(rng, 16, i < 4 ? 1 : 4) // β changes take effect at the next step
      const expected = ref.step(r)
      const a = done(await one.step(r))
      const b = done(await two.step(r))
      expect(a.loss).toBe(expected.loss)
      expect(Math.abs(b.loss - expected.loss) / expected.loss).toBeLessThan(1e-5)
      expect([a.applied, b.applied, one.version, two.version]).toEqual([true, true, i + 1, i + 1])
    }
    const weights = flat(ref.model.weightArrays())
    expect(Array.from(flat(one.snapshot().tensors))).toEqual(Array.from(weights))
    expect(relativeDifference(flat(two.snapshot().tensors), weights)).toBeLessThan(1e-5)
    // Adam's slots too, in the checkpoint's layout (iter, every m, every v).
    const optimizer = await ref.optimizer.getWeights()
    const snapshot = one.snapshot().optimizer
    expect(snapshot.iterations).toBe(8)
    expect(snapshot.tensors.map((t) => t.shape)).toEqual(optimizer.map((w) => w.tensor.shape))
    snapshot.tensors.forEach((t, i) => expect(Array.from(t.data), t.name).toEqual(Array.from(optimizer[i].tensor.dataSync())))
    tf.dispose(optimizer.filter((w) => w.name === 'iter').map((w) => w.tensor))
    ref.dispose()
  })

  it('resumes from its checkpoint, or from the engine thread’s, with the step the run would have taken', async () => {
    const rng = new Rng(3)
    const steps = Array.from({ length: 5 }, () => request(rng, 16))
    const first = await start({ workers: 2 })
    for (const r of steps.slice(0, 3)) done(await first.step(r))
    const checkpoint = first.snapshot()
    const uninterrupted = [done(await first.step(steps[3])), done(await first.step(steps[4]))]
    // Resumed on another core count with the same shards: the very same numbers.
    for (const workers of [2, 1]) {
      const resumed = await start({ workers, shards: 2, initial: checkpoint })
      expect([done(await resumed.step(steps[3])).loss, done(await resumed.step(steps[4])).loss]).toEqual(uninterrupted.map((u) => u.loss))
      expect(Array.from(flat(resumed.snapshot().tensors))).toEqual(Array.from(flat(first.snapshot().tensors)))
    }

    // A checkpoint of the engine thread's trainer loads too, and the next step matches its own exactly.
    const ref = reference()
    for (const r of steps.slice(0, 3)) ref.step(r)
    const weights = await ref.optimizer.getWeights()
    const optimizer = {
      name: 'adam',
      iterations: 3,
      tensors: weights.map((w) => ({ name: w.name, shape: [...w.tensor.shape], data: Float32Array.from(w.tensor.dataSync()) }))
    }
    tf.dispose(weights.filter((w) => w.name === 'iter').map((w) => w.tensor))
    const fromToday = await start({ workers: 1, initial: { tensors: ref.model.weightArrays(), optimizer } })
    // The engine thread's resume path: a new tfjs Adam given the checkpoint's state.
    const reloaded = tf.train.adam(lr)
    await loadOptimizerState(reloaded, optimizer)
    const expected = trainStep({
      model: ref.model,
      optimizer: reloaded,
      batch: buildBatch(data, steps[3].rows, steps[3].flips),
      eps: steps[3].eps,
      batchSize: 16,
      beta: 1,
      noiseVariance: steps[3].noiseVariance
    })
    expect(done(await fromToday.step(steps[3])).loss).toBe(expected.loss)
    expect(Array.from(flat(fromToday.snapshot().tensors))).toEqual(Array.from(flat(ref.model.weightArrays())))
    reloaded.dispose()
    ref.dispose()
  })

  it('leaves weights alone on a non-finite step, and rolls back to a checkpoint between steps', async () => {
    const trainer = await start({ workers: 2 })
    const rng = new Rng(4)
    done(await trainer.step(request(rng, 16)))
    const good = trainer.snapshot()
    const bad = request(rng, 16)
    bad.eps[5] = Number.NaN
    const result = done(await trainer.step(bad))
    expect(result.applied).toBe(false)
    expect(Number.isNaN(result.loss)).toBe(true)
    expect(trainer.version).toBe(1)
    expect(Array.from(flat(trainer.snapshot().tensors))).toEqual(Array.from(flat(good.tensors)))
    done(await trainer.step(request(rng, 16)))
    trainer.load(good)
    expect(trainer.version).toBe(3)
    expect(Array.from(flat(trainer.snapshot().tensors))).toEqual(Array.from(flat(good.tensors)))
    expect(trainer.snapshot().optimizer.iterations).toBe(1)
  })

  it('evaluates held-out batches on the workers as the engine thread would', async () => {
    const trainer = await start({ workers: 2 })
    const rng = new Rng(6)
    for (let i = 0; i < 2; i++) done(await trainer.step(request(rng, 16)))
    const batches = [0, 1, 2].map((b) => ({
      rows: Array.from({ length: b === 2 ? 5 : 16 }, (_, i) => (b * 16 + i) % data.count),
      eps: new Float32Array((b === 2 ? 5 : 16) * latentDim).map(() => rng.normal())
    }))
    const weights = { beta: 2, noiseVariance: 0.03 }
    const got = done(await trainer.evaluate(batches, weights))
    const model = new VaeModel(smallModel, 1)
    model.loadWeightArrays(trainer.snapshot().tensors)
    const expected = evaluate({
      model,
      batches: batches.map((b) => ({ batch: buildBatch(data, b.rows), eps: b.eps, size: b.rows.length })),
      ...weights
    })
    expect(got.loss).toBeCloseTo(expected.loss, 3)
    expect(relativeDifference(got.klPerDim, expected.klPerDim)).toBeLessThan(1e-6)
    model.dispose()
  })

  it('hands the engine thread the latest weights for decoding, without waiting for a step', async () => {
    const trainer = await start({ workers: 2 })
    const rng = new Rng(8)
    const engineModel = new VaeModel(smallModel, 1)
    done(await trainer.step(request(rng, 16)))
    expect(trainer.syncModel(engineModel, { decoderOnly: true })).toBe(true)
    expect(trainer.syncModel(engineModel, { decoderOnly: true })).toBe(false)
    const published = trainer.snapshot().tensors
    const decoderStart = engineModel.encoder.weights.length
    const mine = engineModel.weightArrays()
    expect(Array.from(flat(mine.slice(decoderStart)))).toEqual(Array.from(flat(published.slice(decoderStart))))
    // While a step runs, the published (previous) version is what a decode gets, whole.
    const running = trainer.step(request(rng, 16))
    expect(trainer.syncModel(engineModel)).toBe(true)
    expect(Array.from(flat(engineModel.weightArrays()))).toEqual(Array.from(flat(published)))
    await running
    expect(trainer.syncModel(engineModel)).toBe(true)
    expect(Array.from(flat(engineModel.weightArrays()))).toEqual(Array.from(flat(trainer.snapshot().tensors)))
    engineModel.dispose()
  })

  it('keeps the engine thread free: its CPU time is a sliver of the workers’', async () => {
    const trainer = await start({ workers: 2 })
    const rng = new Rng(2)
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const engineBefore = readSchedStat().cpuNs
    let workerNs = 0
    for (let i = 0; i < 6; i++) {
      done(await trainer.step(request(rng, 16)))
      workerNs += trainer.lastStep!.timings.reduce((a, t) => a + t.cpuNs, 0)
    }
    const engineNs = readSchedStat().cpuNs - engineBefore
    clearInterval(timer)
    expect(ticks).toBeGreaterThan(6)
    if (process.platform === 'linux') expect(engineNs).toBeLessThan(0.25 * workerNs)
  })

  it('leaks no tensors in the workers', async () => {
    const trainer = await start({ workers: 2 })
    const rng = new Rng(1)
    done(await trainer.step(request(rng, 16)))
    const before = await trainer.memory()
    for (let i = 0; i < 4; i++) done(await trainer.step(request(rng, 16)))
    await trainer.evaluate([{ rows: [1, 2, 3], eps: new Float32Array(3 * latentDim) }], { beta: 1, noiseVariance: initialGaussianVariance })
    const after = await trainer.memory()
    expect(after).toEqual(before)
    // Only the model's own variables are alive in each worker.
    const weights = new VaeModel(smallModel, 1).weightArrays().length
    for (const m of after) expect(m.numTensors).toBe(weights)
  })

  it('reports a worker killed mid-step, keeps the last published state, and goes on with the survivor', async () => {
    const trainer = await start({ workers: 2 })
    const rng = new Rng(12)
    const steps = Array.from({ length: 3 }, () => request(rng, 16))
    done(await trainer.step(steps[0]))
    const before = trainer.snapshot()
    const running = trainer.step(steps[1])
    await trainer.threads[1].terminate()
    // The kill lands long before the step's ~50 ms of compute end: nothing was published.
    expect(await running).toEqual({ lost: expect.stringMatching(/^training worker 1 stopped/) })
    expect(trainer.version).toBe(1)
    expect(Array.from(flat(trainer.snapshot().tensors))).toEqual(Array.from(flat(before.tensors)))
    expect(trainer.lost).toMatch(/training worker 1 stopped \(it exited with code 1\); 1 of 2 worker\(s\) left/)
    expect(trainer.workers).toBe(1)
    // Until recovered, steps answer that a worker is lost, and change nothing.
    expect(await trainer.step(steps[2])).toEqual({ lost: trainer.lost })
    expect(trainer.version).toBe(1)

    await trainer.recover()
    expect([trainer.workers, trainer.lost]).toEqual([1, null])
    // The step that failed, re-run with the same draws, as the trainer must do after a resume.
    done(await trainer.step(steps[1]))
    const third = done(await trainer.step(steps[2]))
    expect([third.applied, trainer.version, trainer.shards]).toEqual([true, 3, 2])
    // Exactly the weights of a run that never lost a worker: the survivor computes both shards.
    const unbroken = await start({ workers: 2 })
    for (const r of steps) done(await unbroken.step(r))
    expect(Array.from(flat(trainer.snapshot().tensors))).toEqual(Array.from(flat(unbroken.snapshot().tensors)))
    // And back to two cores.
    await trainer.recover({ workers: 2 })
    expect(trainer.workers).toBe(2)
    expect(done(await trainer.step(request(rng, 16))).applied).toBe(true)
  })

  it('rejects a step with a worker’s own exception, leaving the published state and the threads alone', async () => {
    // Worker 1 believes the images are 16 px: its batch does not fit the model and tfjs throws.
    const trainer = await start({
      workers: 2,
      startWorker: (init) => startTrainWorker(init.rank === 1 ? { ...init, dataset: { ...init.dataset, size: 16 } } : init)
    })
    const before = trainer.snapshot()
    await expect(trainer.step(request(new Rng(1), 16))).rejects.toThrow(/training worker 1 failed: .*shape/)
    expect([trainer.version, trainer.workers, trainer.lost]).toEqual([0, 2, null])
    expect(Array.from(flat(trainer.snapshot().tensors))).toEqual(Array.from(flat(before.tensors)))
  })

  it('fails to start with the worker’s own reason', async () => {
    const broken = () => new Worker('throw new Error("no wasm here")', { eval: true })
    await expect(start({ workers: 2, startWorker: broken })).rejects.toThrow(/training worker \d could not start: no wasm here/)
  })

  it('disposes: every worker exits', async () => {
    const exits: number[] = []
    const trainer = await start({
      workers: 2,
      startWorker: (init) => {
        const worker = startTrainWorker(init)
        worker.on('exit', (code) => exits.push(code))
        return worker
      }
    })
    done(await trainer.step(request(new Rng(1), 8)))
    await trainer.dispose()
    expect(exits).toEqual([0, 0])
  })

  it.each([[[]], [['--no-dispose']]])(
    'lets the process exit by itself (%j)',
    async (args) => {
      const tsx = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href
      const child = path.resolve(__dirname, '../../../../../test/support/train-and-return.ts')
      const output = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--import', tsx, child, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)
        )
      )
      expect(JSON.parse(output)).toEqual({ workers: 2, version: 2, finite: true })
    },
    90_000
  )
})
