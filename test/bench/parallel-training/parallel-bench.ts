/**
 * Figures for data-parallel training (the default 64×64×3, z = 32 model, batch 64, wasm):
 *
 *   npx tsx test/bench/parallel-training/parallel-bench.ts [--steps 8] [--repeats 3] [--decodes 150]
 *       [--niceness 0] [--quiet-wait 0] [--no-decode] [--no-probe | --probe-only] [--no-components] [--json]
 *
 * `--quiet-wait S`: before each measurement, wait up to S seconds for other processes to use
 * less than 0.3 cores (they are measured while this script idles), to catch quiet moments.
 *
 * - training img/s: the trainer on the engine thread, 1 worker, 2 workers (interleaved
 *   repeats, so machine noise hits all three alike), with where a worker's step time goes;
 * - decode of 1 image on the engine thread while 2 workers train (and while the engine-thread trainer
 *   trains, for contrast): timer lateness (how long a request waits for the thread) and the
 *   sync + decode time, p50/p95;
 * - component costs behind the design choice (copy out of wasm, sum, Adam: JS vs tfjs);
 * - a scaling probe: register-only, memory-streaming and training work on 1 thread vs 2 at once,
 *   with each thread's CPU and run-queue time, to tell contention from a busy machine.
 *
 * Every figure comes with how many cores other processes used meanwhile (the machine is shared).
 */
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import * as path from 'node:path'
import * as tf from '../../../src/main/engine/tf'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { generateDemoFaces } from '../../../src/main/engine/demo/generate'
import { decodeCodes, sampleCodes } from '../../../src/main/engine/inference/inference'
import { VaeModel } from '../../../src/main/engine/model/vae-model'
import { Rng } from '../../../src/main/engine/random/rng'
import { buildBatch, type DatasetPixels } from '../../../src/main/engine/train/batch-builder'
import { trainStep } from '../../../src/main/engine/train/train-step'
import { adamConfig, adamRange, initialAdamScalars } from '../../../src/main/engine/train/parallel/adam'
import { ParallelTrainer } from '../../../src/main/engine/train/parallel/parallel-trainer'
import type { StepTimings } from '../../../src/main/engine/train/parallel/protocol'
import type { StepRequest } from '../../../src/main/engine/train/step-runner'
import { referenceModel } from './reference-model'
import type { ProbeInit, ProbeResult } from './scaling-probe-worker'
import { readSchedStat } from '../../../src/main/engine/train/parallel/thread-stats'
import { initialGaussianVariance } from '../../../src/main/engine/model/losses'

const batchSize = 64
const latentDim = referenceModel.latentDim

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const has = (name: string) => process.argv.includes(`--${name}`)
const steps = flag('steps', 8)
const repeats = flag('repeats', 3)
const decodes = flag('decodes', 150)
const niceness = flag('niceness', 0)
const quietWait = flag('quiet-wait', 0)
const json = has('json')
const log = (line: string) => {
  if (!json) process.stdout.write(line + '\n')
}

// ── machine load ────────────────────────────────────────────────────────────────────────────

interface LoadMark {
  busyJiffies: number
  ourMicros: number
  at: number
}

function loadMark(): LoadMark {
  let busyJiffies = 0
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .map(Number)
    busyJiffies = user + nice + system + irq + softirq + steal
  } catch {
    // Not Linux: other processes' load reads as 0.
  }
  const usage = process.cpuUsage()
  return { busyJiffies, ourMicros: usage.user + usage.system, at: performance.now() }
}

/** Cores other processes kept busy on average since `from` (jiffies of 10 ms). */
function othersCores(from: LoadMark): number {
  const to = loadMark()
  const busyMs = (to.busyJiffies - from.busyJiffies) * 10
  const oursMs = (to.ourMicros - from.ourMicros) / 1000
  return Math.max(0, (busyMs - oursMs) / (to.at - from.at))
}

/** Waits (up to `--quiet-wait` s) until other processes use < 0.3 cores; returns what they used last. */
async function waitQuiet(): Promise<number> {
  const deadline = performance.now() + quietWait * 1000
  for (;;) {
    const mark = loadMark()
    await sleep(1000)
    const others = othersCores(mark)
    if (others < 0.3 || performance.now() >= deadline) return others
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits
const range = (xs: number[], digits = 1) =>
  xs.length === 1 ? `${round(xs[0], digits)}` : `${round(Math.min(...xs), digits)}–${round(Math.max(...xs), digits)}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ── training ────────────────────────────────────────────────────────────────────────────────

function draw(rng: Rng, count: number): StepRequest {
  const rows = Array.from({ length: batchSize }, () => rng.int(count))
  return {
    rows,
    flips: rows.map(() => rng.next() < 0.5),
    eps: new Float32Array(batchSize * latentDim).map(() => rng.normal()),
    beta: 1,
    noiseVariance: initialGaussianVariance
  }
}

interface TrainRun {
  imgPerSec: number
  /** Images per second if every thread had a core to itself: batch ÷ the busiest thread's CPU time per step. */
  cpuBoundImgPerSec: number
  others: number
}

async function trainToday(model: VaeModel, optimizer: tf.Optimizer, data: DatasetPixels & { count: number }, rng: Rng): Promise<TrainRun> {
  if (quietWait > 0) await waitQuiet()
  const mark = loadMark()
  const cpuBefore = readSchedStat().cpuNs
  const started = performance.now()
  for (let i = 0; i < steps; i++) {
    const r = draw(rng, data.count)
    trainStep({
      model,
      optimizer,
      batch: buildBatch(data, r.rows, r.flips),
      eps: r.eps,
      batchSize,
      beta: 1,
      noiseVariance: initialGaussianVariance
    })
    await new Promise((resolve) => setImmediate(resolve))
  }
  const cpuMsPerStep = (readSchedStat().cpuNs - cpuBefore) / 1e6 / steps
  return {
    imgPerSec: (steps * batchSize * 1000) / (performance.now() - started),
    cpuBoundImgPerSec: (batchSize * 1000) / cpuMsPerStep,
    others: othersCores(mark)
  }
}

interface ParallelRun extends TrainRun {
  /** Mean per step, worst worker per component. */
  timings: Record<keyof StepTimings, number>
  orchestrationMs: number
  engineCpuMsPerStep: number
}

async function trainParallel(trainer: ParallelTrainer, count: number, rng: Rng): Promise<ParallelRun> {
  if (quietWait > 0) await waitQuiet()
  const mark = loadMark()
  const engineBefore = readSchedStat().cpuNs
  const sums: Record<string, number> = {}
  let orchestration = 0
  let busiestCpuMs = 0
  const started = performance.now()
  for (let i = 0; i < steps; i++) {
    const answer = await trainer.step(draw(rng, count))
    if ('lost' in answer) throw new Error(answer.lost)
    const result = trainer.lastStep!
    orchestration += result.orchestrationMs
    busiestCpuMs += Math.max(...result.timings.map((t) => t.cpuNs / 1e6))
    for (const key of Object.keys(result.timings[0]) as (keyof StepTimings)[]) {
      sums[key] = (sums[key] ?? 0) + Math.max(...result.timings.map((t) => t[key]))
    }
  }
  const elapsed = performance.now() - started
  const timings = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / steps])) as Record<keyof StepTimings, number>
  return {
    imgPerSec: (steps * batchSize * 1000) / elapsed,
    cpuBoundImgPerSec: (steps * batchSize * 1000) / busiestCpuMs,
    others: othersCores(mark),
    timings,
    orchestrationMs: orchestration / steps,
    engineCpuMsPerStep: (readSchedStat().cpuNs - engineBefore) / 1e6 / steps
  }
}

// ── decode latency ──────────────────────────────────────────────────────────────────────────

interface DecodeRun {
  /** Timer lateness: how long a request waited for the engine thread. */
  waitP50: number
  waitP95: number
  /** Weights sync (when changed) + decode of one image. */
  decodeP50: number
  decodeP95: number
  /** Both: what a request costs end to end on the engine thread. */
  totalP50: number
  totalP95: number
  trainImgPerSec: number
  others: number
}

async function decodeWhile(
  engineModel: VaeModel,
  sync: () => void,
  background: { run: () => Promise<number>; stop: () => void } | null
): Promise<DecodeRun> {
  const [code] = sampleCodes(latentDim, 1, 1, 5)
  const wait: number[] = []
  const work: number[] = []
  const total: number[] = []
  const jitter = new Rng(17)
  if (quietWait > 0) await waitQuiet()
  const mark = loadMark()
  const training = background?.run()
  await sleep(500)
  for (let i = 0; i < decodes; i++) {
    const delay = 20 + jitter.next() * 40
    const due = performance.now() + delay
    await sleep(delay)
    const t0 = performance.now()
    sync()
    decodeCodes(engineModel, [code])
    const t1 = performance.now()
    wait.push(Math.max(0, t0 - due))
    work.push(t1 - t0)
    total.push(t1 - due)
  }
  background?.stop()
  const trainImgPerSec = (await training) ?? 0
  return {
    waitP50: percentile(wait, 50),
    waitP95: percentile(wait, 95),
    decodeP50: percentile(work, 50),
    decodeP95: percentile(work, 95),
    totalP50: percentile(total, 50),
    totalP95: percentile(total, 95),
    trainImgPerSec,
    others: othersCores(mark)
  }
}

function loop(stepOnce: () => Promise<void>): { run: () => Promise<number>; stop: () => void } {
  let stop = false
  return {
    run: async () => {
      const started = performance.now()
      let n = 0
      while (!stop) {
        await stepOnce()
        n++
      }
      return (n * batchSize * 1000) / (performance.now() - started)
    },
    stop: () => (stop = true)
  }
}

// ── component costs ─────────────────────────────────────────────────────────────────────────

function components(model: VaeModel): Record<string, number> {
  const variables = model.trainableVariables
  const total = variables.reduce((a, v) => a + v.size, 0)
  const half = Math.ceil(total / 2)
  const rng = new Rng(1)
  const grads = variables.map((v) => tf.randomNormal(v.shape, 0, 1, 'float32', 3))
  const optimizer = tf.train.adam(1e-3)
  const apply = () => optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })))
  apply()
  // Fastest of n (wall): short operations, so the fastest run is the one nobody interrupted.
  // (Per-thread CPU time from /proc only advances at scheduler ticks: too coarse for these.)
  const timeIt = (fn: () => void, n = 9) => {
    let best = Infinity
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      fn()
      best = Math.min(best, performance.now() - t)
    }
    return best
  }
  const tfjsAdam = timeIt(() => {
    apply()
    variables[0].dataSync()
  })
  const f32 = () => new Float32Array(total).map(() => rng.normal() * 0.01)
  const w = f32()
  const m = f32()
  const v = f32().map(Math.abs)
  const g = f32()
  const out = { w: new Float32Array(total), m: new Float32Array(total), v: new Float32Array(total) }
  const config = adamConfig(1e-3, 1e-7)
  const jsAdamAll = timeIt(() => adamRange(config, initialAdamScalars(config), g, { w, m, v }, out, 0, total))
  const jsAdamHalf = timeIt(() => adamRange(config, initialAdamScalars(config), g, { w, m, v }, out, 0, half))
  const slots = [f32(), f32()]
  const sum = new Float32Array(half)
  const sumHalf = timeIt(() => {
    sum.set(slots[0].subarray(0, half))
    for (let i = 0; i < half; i++) sum[i] += slots[1][i]
  })
  const all = new Float32Array(total)
  const sumAll = timeIt(() => {
    all.set(slots[0])
    for (let i = 0; i < total; i++) all[i] += slots[1][i]
  })
  const backend = tf.backend() as unknown as { typedArrayFromHeap(t: tf.Tensor): Float32Array }
  const target = new Float32Array(total)
  const copyDataSync = timeIt(() => {
    let o = 0
    for (const t of grads) {
      target.set(t.dataSync() as Float32Array, o)
      o += t.size
    }
  })
  const copyHeap = timeIt(() => {
    let o = 0
    for (const t of grads) {
      target.set(backend.typedArrayFromHeap(t), o)
      o += t.size
    }
  })
  const upload = timeIt(() => {
    let o = 0
    for (const v2 of variables) {
      tf.tidy(() => v2.assign(tf.tensor(target.subarray(o, o + v2.size), v2.shape)))
      o += v2.size
    }
  })
  tf.dispose(grads)
  optimizer.dispose()
  return {
    params: total,
    tfjsAdamAllMs: tfjsAdam,
    jsAdamAllMs: jsAdamAll,
    jsAdamHalfMs: jsAdamHalf,
    sum2SlotsAllMs: sumAll,
    sum2SlotsHalfMs: sumHalf,
    copyOutDataSyncMs: copyDataSync,
    copyOutHeapViewMs: copyHeap,
    uploadWeightsMs: upload
  }
}

// ── scaling probe ───────────────────────────────────────────────────────────────────────────

function startProbe(init: ProbeInit): Worker {
  const source = path.resolve(__dirname, 'scaling-probe-worker.ts')
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)})`
  return new Worker(boot, { eval: true, workerData: init })
}

interface ProbeRun {
  kind: ProbeInit['kind']
  threads: number
  batchSize: number
  pinned: boolean
  /** Median ms per unit of work, per thread. */
  msPerUnit: number[]
  /** CPU ms per unit and run-queue ms per unit, per thread. */
  cpuMsPerUnit: number[]
  runQueueMsPerUnit: number[]
  others: number
}

async function probe(kind: ProbeInit['kind'], threads: number, batch: number, reps: number, pinned: boolean): Promise<ProbeRun> {
  if (quietWait > 0) await waitQuiet()
  const start = new Int32Array(new SharedArrayBuffer(8))
  const workers = Array.from({ length: threads }, (_, i) =>
    startProbe({ kind, batchSize: batch, repeats: reps, cpu: pinned ? i : null, start })
  )
  const results = workers.map((w) => new Promise<ProbeResult>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))))
  while (Atomics.load(start, 1) < threads) await sleep(20)
  const mark = loadMark()
  Atomics.store(start, 0, 1)
  Atomics.notify(start, 0)
  const all = await Promise.all(results)
  const others = othersCores(mark)
  await Promise.all(workers.map((w) => w.terminate()))
  return {
    kind,
    threads,
    batchSize: batch,
    pinned,
    msPerUnit: all.map((r) => percentile(r.ms, 50)),
    cpuMsPerUnit: all.map((r) => r.cpuNs / 1e6 / reps),
    runQueueMsPerUnit: all.map((r) => r.runQueueNs / 1e6 / reps),
    others
  }
}

// ── main ────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  await selectBackend('wasm')
  const report: Record<string, unknown> = { steps, repeats, niceness, loadAverage: readFileSync('/proc/loadavg', 'utf8').trim() }
  log(`load average at start: ${report.loadAverage}`)
  if (has('probe-only')) {
    report.probe = await runProbes()
    if (json) process.stdout.write(JSON.stringify(report) + '\n')
    return
  }
  const count = 512
  const data = { images: generateDemoFaces(count, 1, 64).images, size: 64, channels: 3 as const, count }
  const initial = new VaeModel(referenceModel, 1)
  const todayModel = new VaeModel(referenceModel, 1)
  const todayOptimizer = tf.train.adam(1e-3)
  const trainers: Record<number, ParallelTrainer> = {}
  for (const workers of [1, 2]) {
    trainers[workers] = await ParallelTrainer.start({
      model: referenceModel,
      data,
      learningRate: 1e-3,
      initial: { tensors: initial.weightArrays() },
      workers,
      niceness
    })
  }
  const rng = new Rng(11)
  // Warm-up: first steps build kernels' caches and grow the wasm heaps.
  await trainToday(todayModel, todayOptimizer, data, rng)
  for (const workers of [1, 2]) await trainParallel(trainers[workers], count, rng)

  const today: TrainRun[] = []
  const parallel: Record<number, ParallelRun[]> = { 1: [], 2: [] }
  for (let r = 0; r < repeats; r++) {
    today.push(await trainToday(todayModel, todayOptimizer, data, rng))
    for (const workers of [1, 2]) parallel[workers].push(await trainParallel(trainers[workers], count, rng))
    log(
      `repeat ${r + 1}: today ${round(today[r].imgPerSec)} img/s, 1 worker ${round(parallel[1][r].imgPerSec)}, 2 workers ${round(parallel[2][r].imgPerSec)} ` +
        `(others used ${round(today[r].others, 2)}/${round(parallel[1][r].others, 2)}/${round(parallel[2][r].others, 2)} cores)`
    )
  }
  const cpuRatios = parallel[2].map((p, i) => p.cpuBoundImgPerSec / parallel[1][i].cpuBoundImgPerSec)
  const ratios = parallel[2].map((p, i) => p.imgPerSec / parallel[1][i].imgPerSec)
  const vsToday = parallel[2].map((p, i) => p.imgPerSec / today[i].imgPerSec)
  report.train = {
    todayImgPerSec: today.map((t) => round(t.imgPerSec)),
    oneWorkerImgPerSec: parallel[1].map((t) => round(t.imgPerSec)),
    twoWorkersImgPerSec: parallel[2].map((t) => round(t.imgPerSec)),
    twoOverOne: ratios.map((x) => round(x, 2)),
    twoOverToday: vsToday.map((x) => round(x, 2)),
    cpuBound: {
      todayImgPerSec: today.map((t) => round(t.cpuBoundImgPerSec)),
      oneWorkerImgPerSec: parallel[1].map((t) => round(t.cpuBoundImgPerSec)),
      twoWorkersImgPerSec: parallel[2].map((t) => round(t.cpuBoundImgPerSec)),
      twoOverOne: cpuRatios.map((x) => round(x, 2))
    },
    othersCores: {
      today: today.map((t) => round(t.others, 2)),
      one: parallel[1].map((t) => round(t.others, 2)),
      two: parallel[2].map((t) => round(t.others, 2))
    },
    stepBreakdownMs: { one: parallel[1].map((p) => mapValues(p.timings)), two: parallel[2].map((p) => mapValues(p.timings)) },
    orchestrationMs: { one: parallel[1].map((p) => round(p.orchestrationMs, 2)), two: parallel[2].map((p) => round(p.orchestrationMs, 2)) },
    engineCpuMsPerStep: {
      one: parallel[1].map((p) => round(p.engineCpuMsPerStep, 2)),
      two: parallel[2].map((p) => round(p.engineCpuMsPerStep, 2))
    }
  }
  log(
    `train img/s — today ${range(today.map((t) => t.imgPerSec))}, 1 worker ${range(parallel[1].map((t) => t.imgPerSec))}, 2 workers ${range(parallel[2].map((t) => t.imgPerSec))}`
  )
  log(`2 workers ÷ 1 worker ${range(ratios, 2)}×, ÷ today ${range(vsToday, 2)}×`)
  log(
    `if each thread had a core (batch ÷ busiest thread's CPU ms per step): today ${range(today.map((t) => t.cpuBoundImgPerSec))}, ` +
      `1 worker ${range(parallel[1].map((t) => t.cpuBoundImgPerSec))}, 2 workers ${range(parallel[2].map((t) => t.cpuBoundImgPerSec))} img/s, 2 ÷ 1 ${range(cpuRatios, 2)}×`
  )
  for (const workers of [1, 2]) {
    const t = parallel[workers].map((p) => p.timings)
    const keys = Object.keys(t[0]).filter((k) => !k.endsWith('Ns')) as (keyof StepTimings)[]
    log(`  ${workers} worker(s), ms per step (worst worker): ${keys.map((k) => `${k} ${range(t.map((x) => x[k]))}`).join(', ')}`)
    log(
      `    engine thread: orchestration ${range(
        parallel[workers].map((p) => p.orchestrationMs),
        2
      )} ms/step, CPU ${range(
        parallel[workers].map((p) => p.engineCpuMsPerStep),
        2
      )} ms/step; ` +
        `worker CPU ${range(t.map((x) => x.cpuNs / 1e6))} ms/step, runnable-but-waiting ${range(t.map((x) => x.runQueueNs / 1e6))} ms/step`
    )
  }
  await trainers[1].dispose()

  // Decode of one image on the engine thread.
  const engineModel = new VaeModel(referenceModel, 1)
  const decodeRuns: Record<string, DecodeRun> = {}
  if (!has('no-decode')) {
    decodeRuns.idle = await decodeWhile(engineModel, () => trainers[2].syncModel(engineModel, { decoderOnly: true }), null)
    const two = trainers[2]
    decodeRuns.twoWorkers = await decodeWhile(
      engineModel,
      () => two.syncModel(engineModel, { decoderOnly: true }),
      loop(async () => void (await two.step(draw(rng, count))))
    )
    decodeRuns.todaysTrainer = await decodeWhile(
      todayModel,
      () => undefined,
      loop(async () => {
        const r = draw(rng, count)
        trainStep({
          model: todayModel,
          optimizer: todayOptimizer,
          batch: buildBatch(data, r.rows, r.flips),
          eps: r.eps,
          batchSize,
          beta: 1,
          noiseVariance: initialGaussianVariance
        })
        await new Promise((resolve) => setImmediate(resolve))
      })
    )
    report.decode1 = Object.fromEntries(
      Object.entries(decodeRuns).map(([k, v]) => [k, mapValues(v as unknown as Record<string, number>, 2)])
    )
    for (const [name, d] of Object.entries(decodeRuns)) {
      log(
        `decode 1 image, ${name}: total p50 ${round(d.totalP50)} / p95 ${round(d.totalP95)} ms (waiting for the thread ${round(d.waitP50)} / ${round(d.waitP95)}, ` +
          `sync + decode ${round(d.decodeP50)} / ${round(d.decodeP95)})${d.trainImgPerSec ? `, training meanwhile ${round(d.trainImgPerSec)} img/s` : ''}, others ${round(d.others, 2)} cores`
      )
    }
  }
  await trainers[2].dispose()

  if (!has('no-components')) {
    report.components = mapValues(components(todayModel), 2)
    log(`components: ${JSON.stringify(report.components)}`)
  }
  todayOptimizer.dispose()

  if (!has('no-probe')) report.probe = await runProbes()
  if (json) process.stdout.write(JSON.stringify(report) + '\n')
}

async function runProbes(): Promise<unknown[]> {
  const probes: ProbeRun[] = []
  for (const [kind, batch, reps] of [
    ['alu', 0, 4],
    ['fma', 0, 4],
    ['mem', 0, 4],
    ['decode', 32, 6],
    ['train', 32, 4],
    ['train', 64, 3]
  ] as const) {
    for (const [threads, pinned] of [
      [1, false],
      [2, false],
      [2, true]
    ] as const) {
      const p = await probe(kind, threads, batch, reps, pinned)
      probes.push(p)
      log(
        `probe ${kind}${batch ? ` b${batch}` : ''} ×${threads}${pinned ? ' pinned' : ''}: ms/unit ${p.msPerUnit.map((x) => round(x)).join(', ')}; ` +
          `cpu ms/unit ${p.cpuMsPerUnit.map((x) => round(x)).join(', ')}; run-queue ms/unit ${p.runQueueMsPerUnit.map((x) => round(x)).join(', ')}; others ${round(p.others, 2)} cores`
      )
    }
  }
  return probes.map((p) => ({
    ...p,
    msPerUnit: p.msPerUnit.map((x) => round(x)),
    cpuMsPerUnit: p.cpuMsPerUnit.map((x) => round(x)),
    runQueueMsPerUnit: p.runQueueMsPerUnit.map((x) => round(x)),
    others: round(p.others, 2)
  }))
}

function mapValues(record: Record<string, number>, digits = 1): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, round(v, digits)]))
}

void main()
