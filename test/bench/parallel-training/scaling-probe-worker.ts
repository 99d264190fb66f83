/**
 * Worker for parallel-bench.ts's scaling probe: the same work on one thread alone and on two at
 * once tells whether two threads are slowed by each other (shared memory bandwidth, caches, or two
 * vCPUs sharing a physical core) or by the rest of the machine (time waiting for a CPU).
 * `alu` is one dependent chain in registers (latency-bound), `fma` eight independent ones
 * (throughput-bound: two hyperthreads of one physical core would slow each other), `mem` streams 2 × 64 MB, `train` is a real training step of
 * `batchSize` images, `decode` decodes `batchSize` codes (half of a grid, as ParallelDecoder splits).
 */
import { execFileSync } from 'node:child_process'
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '../../../src/main/engine/tf'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { decodeCodes, sampleCodes } from '../../../src/main/engine/inference/inference'
import { VaeModel } from '../../../src/main/engine/model/vae-model'
import { Rng } from '../../../src/main/engine/random/rng'
import { trainStep } from '../../../src/main/engine/train/train-step'
import { referenceModel } from './reference-model'
import { readSchedStat, threadId } from '../../../src/main/engine/train/parallel/thread-stats'
import { initialGaussianVariance } from '../../../src/main/engine/model/losses'

export interface ProbeInit {
  kind: 'alu' | 'fma' | 'mem' | 'train' | 'decode'
  batchSize: number
  repeats: number
  /** CPU to pin this thread to (taskset), or null. */
  cpu: number | null
  /** [go flag, threads ready]. */
  start: Int32Array
}

export interface ProbeResult {
  ms: number[]
  cpuNs: number
  runQueueNs: number
}

const init = workerData as ProbeInit

function alu(): void {
  let x = 1.0001
  let y = 0
  for (let i = 0; i < 1e8; i++) {
    y += x * x
    x = x * 0.9999999 + 1e-9
  }
  if (y === 42) parentPort!.postMessage('unlikely')
}

function fma(): void {
  let a = 1.0001,
    b = 1.0002,
    c = 1.0003,
    d = 1.0004,
    e = 1.0005,
    f = 1.0006,
    g = 1.0007,
    h = 1.0008
  const m = 0.9999999
  const k = 1e-9
  for (let i = 0; i < 5e7; i++) {
    a = a * m + k
    b = b * m + k
    c = c * m + k
    d = d * m + k
    e = e * m + k
    f = f * m + k
    g = g * m + k
    h = h * m + k
  }
  if (a + b + c + d + e + f + g + h === 42) parentPort!.postMessage('unlikely')
}

async function prepare(): Promise<() => void> {
  if (init.kind === 'alu') return alu
  if (init.kind === 'fma') return fma
  if (init.kind === 'mem') {
    const a = new Float32Array(16 << 20).fill(1)
    const b = new Float32Array(16 << 20).fill(2)
    return () => {
      for (let k = 0; k < 4; k++) for (let i = 0; i < a.length; i++) a[i] += b[i]
    }
  }
  await selectBackend('wasm')
  const model = new VaeModel(referenceModel, 1)
  const optimizer = tf.train.adam(1e-3)
  const rng = new Rng(3)
  const n = init.batchSize
  if (init.kind === 'decode') {
    const codes = sampleCodes(referenceModel.latentDim, n, 1, 2)
    return () => void decodeCodes(model, codes)
  }
  const batch = new Float32Array(n * 64 * 64 * 3).map(() => rng.next())
  const eps = new Float32Array(n * referenceModel.latentDim).map(() => rng.normal())
  const step = () => void trainStep({ model, optimizer, batch, eps, batchSize: n, beta: 1, noiseVariance: initialGaussianVariance })
  step()
  return step
}

async function main(): Promise<void> {
  const tid = threadId()
  if (init.cpu !== null && tid !== null) execFileSync('taskset', ['-pc', String(init.cpu), String(tid)], { stdio: 'ignore' })
  const work = await prepare()
  work()
  Atomics.add(init.start, 1, 1)
  while (Atomics.load(init.start, 0) === 0) Atomics.wait(init.start, 0, 0, 10)
  const before = readSchedStat()
  const ms: number[] = []
  for (let r = 0; r < init.repeats; r++) {
    const t = performance.now()
    work()
    ms.push(performance.now() - t)
  }
  const after = readSchedStat()
  parentPort!.postMessage({ ms, cpuNs: after.cpuNs - before.cpuNs, runQueueNs: after.runQueueNs - before.runQueueNs } satisfies ProbeResult)
}

void main()
