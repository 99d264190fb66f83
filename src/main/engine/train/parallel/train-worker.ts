/**
 * One training worker thread: its own wasm tfjs instance (with the engine's kernels, through
 * `selectBackend`) and a replica of the model. Per step it computes the loss and gradients of its
 * shards of the batch, writes each to the shard's shared slot, and, once every worker has, sums
 * the slots over its own range of the parameters (in shard order) and applies Adam there. The next step
 * every replica loads the new weights from shared memory, so no weights travel by message.
 */
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '../../tf'
import { selectBackend } from '../../backend/select-backend'
import { clearWasmKernelCaches } from '../../backend/wasm-kernels'
import { PatchDiscriminator } from '../../model/patch-discriminator'
import { VaeModel } from '../../model/vae-model'
import { buildBatch } from '../batch-builder'
import { evaluate, type BatchTerms } from '../held-out'
import { objectiveGradients, type ObjectiveWeights, type StepTerms } from '../vae-objective'
import { adamRange, nextAdamScalars } from './adam'
import { arriveAndWait, abortBarrier } from './barrier'
import type { FromTrainWorker, StepTimings, ToTrainWorker, WorkerInit } from './protocol'
import { Ctl, SharedState, paramRange } from './shared-state'
import { niceCurrentThread, readSchedStat, type SchedStat } from './thread-stats'
import { messageOf } from '../../../../shared/errors'

const port = parentPort
if (!port) throw new Error('train-worker.ts runs as a worker thread only')
const init = workerData as WorkerInit
const state = new SharedState(init.shared, init.layout)
const control = state.control
const dataset = { images: state.images, size: init.dataset.size, channels: init.dataset.channels }
let rank = init.rank
let model: VaeModel
/** The sharpen option's discriminator, when the run's layout has one. */
let discriminator: PatchDiscriminator | null = null
let variables: tf.Variable[]
let loadedVersion = -1
let scratch = new Float32Array(0)

type Wasm = { typedArrayFromHeap(info: tf.TensorInfo): Float32Array }

/** Copies the published weights into the replica's variables (new tensors: kernel caches see new weights). */
function loadWeights(version: number): void {
  const block = state.weights(version & 1)
  const wasm = tf.getBackend() === 'wasm'
  variables.forEach((v, i) =>
    tf.tidy(() => {
      const view = state.entryView(block, i)
      // The cpu backend keeps the array it is given: it must not alias shared memory.
      v.assign(tf.tensor(wasm ? view : view.slice(), v.shape))
    })
  )
  loadedVersion = version
}

/** Reads a tensor straight from wasm memory: `dataSync` copies through a slow `slice` (14 ms vs 0.3 ms for all gradients). */
function copyInto(target: Float32Array, offset: number, tensor: tf.Tensor): void {
  const source =
    tf.getBackend() === 'wasm' ? (tf.backend() as unknown as Wasm).typedArrayFromHeap(tensor) : (tensor.dataSync() as Float32Array)
  target.set(source, offset)
}

/**
 * The shard's mean loss scaled by its share of the batch, so that the sum over shards of the
 * gradients is the gradient of the whole batch's mean loss.
 */
function shardGradients(
  shard: number,
  batch: Float32Array,
  eps: Float32Array,
  rows: number,
  share: number,
  weights: ObjectiveWeights,
  adversaryWeight: number | null
): { terms: StepTerms; copyMs: number } {
  const adversary = adversaryWeight !== null && discriminator ? { discriminator, weight: adversaryWeight } : undefined
  const { terms, grads } = objectiveGradients(model, batch, eps, rows, weights, share, adversary)
  const started = performance.now()
  const slot = state.gradientSlot(shard)
  // Without an adversary this step the discriminator has no gradients; its range is not applied.
  variables.forEach((v, i) => grads[v.name] && copyInto(slot, init.layout.entries[i].offset, grads[v.name]))
  const copyMs = performance.now() - started
  tf.dispose(grads)
  return { terms, copyMs }
}

function step(message: Extract<ToTrainWorker, { type: 'step' }>): FromTrainWorker {
  const { id, workers, shards } = message
  const sched = readSchedStat()
  const t0 = performance.now()
  const version = state.version
  if (version !== loadedVersion) loadWeights(version)
  const t1 = performance.now()
  let batchMs = 0
  let copyMs = 0
  for (const work of message.mine) {
    const rows = work.rows.length
    const share = rows / message.batchSize
    let terms: StepTerms = [0, 0, 0, 0, 0, 0, 0]
    if (rows > 0) {
      const started = performance.now()
      const batch = buildBatch(dataset, work.rows, work.flips ?? undefined)
      batchMs += performance.now() - started
      const weights = { beta: message.beta, noiseVariance: message.noiseVariance }
      const result = shardGradients(work.shard, batch, work.eps, rows, share, weights, message.adversaryWeight)
      terms = result.terms
      copyMs += result.copyMs
    } else {
      state.gradientSlot(work.shard).fill(0)
    }
    state.terms(work.shard).set(terms)
  }
  const t3 = performance.now()
  const computed = readSchedStat()
  if (!arriveAndWait(control, rank)) return { type: 'aborted', id, rank }
  const t4 = performance.now()
  const waited = readSchedStat()

  // In shard order, whatever the worker count: the result does not depend on it.
  const total: StepTerms = [0, 0, 0, 0, 0, 0, 0]
  for (let k = 0; k < shards; k++) state.terms(k).forEach((t, j) => (total[j] += t))
  const applied = total.every(Number.isFinite)
  const timings = (t5: number, t6: number, reduced: SchedStat): StepTimings => {
    const after = readSchedStat()
    return {
      load: t1 - t0,
      batch: batchMs,
      compute: t3 - t1 - batchMs - copyMs,
      copy: copyMs,
      waitGradients: t4 - t3,
      reduceAdam: t5 - t4,
      waitUpdate: t6 - t5,
      computeCpu: (computed.cpuNs - sched.cpuNs) / 1e6,
      reduceAdamCpu: (reduced.cpuNs - waited.cpuNs) / 1e6,
      cpuNs: after.cpuNs - sched.cpuNs,
      runQueueNs: after.runQueueNs - sched.runQueueNs
    }
  }
  // Every worker sees the same sums, so all take the same branch: a non-finite step changes nothing.
  if (!applied) return { type: 'stepped', id, rank, terms: total, applied, timings: timings(t4, t4, waited) }

  const parity = version & 1
  const next = parity ^ 1
  const [start, end] = paramRange(init.layout.total, workers, rank)
  let gradient = state.gradientSlot(0)
  let offset = 0
  if (shards > 1) {
    if (scratch.length < end - start) scratch = new Float32Array(end - start)
    const sum = scratch.subarray(0, end - start)
    sum.set(gradient.subarray(start, end))
    for (let k = 1; k < shards; k++) addRange(sum, state.gradientSlot(k), start, end)
    gradient = sum
    offset = start
  }
  const input = { w: state.weights(parity), m: state.firstMoment(parity), v: state.secondMoment(parity) }
  const output = { w: state.weights(next), m: state.firstMoment(next), v: state.secondMoment(next) }
  const split = Math.min(Math.max(init.layout.discriminatorFrom, start), end)
  const scalars = state.adamScalars(parity)
  adamRange(init.adam, scalars, gradient, input, output, start, split, offset)
  if (rank === 0) state.setAdamScalars(next, nextAdamScalars(scalars, init.adam))
  const criticScalars = state.adamScalars(parity, 1)
  const criticTrains = message.adversaryWeight !== null
  if (criticTrains) adamRange(init.discriminatorAdam, criticScalars, gradient, input, output, split, end, offset)
  else for (const key of ['w', 'm', 'v'] as const) output[key].set(input[key].subarray(split, end), split)
  if (rank === 0) state.setAdamScalars(next, criticTrains ? nextAdamScalars(criticScalars, init.discriminatorAdam) : criticScalars, 1)
  const t5 = performance.now()
  const reduced = readSchedStat()
  if (!arriveAndWait(control, rank)) return { type: 'aborted', id, rank }
  const t6 = performance.now()
  // Published only once every range is written: a step that dies before this leaves `version` whole.
  if (rank === 0) Atomics.store(control, Ctl.version, version + 1)
  return { type: 'stepped', id, rank, terms: total, applied, timings: timings(t5, t6, reduced) }
}

/** sum[i − start] += slot[i] over [start, end), rounded to float32 at each add. */
function addRange(sum: Float32Array, slot: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) sum[i - start] += slot[i]
}

function evaluateBatches(message: Extract<ToTrainWorker, { type: 'evaluate' }>): FromTrainWorker {
  const version = state.version
  if (version !== loadedVersion) loadWeights(version)
  const batches: BatchTerms[] = message.batches.map((b) => {
    const result = evaluate({
      model,
      batches: [{ batch: buildBatch(dataset, b.rows), eps: b.eps, size: b.rows.length }],
      beta: 1,
      noiseVariance: message.noiseVariance
    })
    return { index: b.index, size: b.rows.length, recon: result.recon, kl: result.kl, klPerDim: result.klPerDim }
  })
  return { type: 'evaluated', id: message.id, batches }
}

function memory(id: number): FromTrainWorker {
  clearWasmKernelCaches()
  const backend = tf.backend() as unknown as { numDataIds(): number }
  return { type: 'memory', id, numTensors: tf.memory().numTensors, numDataIds: backend.numDataIds() }
}

function handle(message: ToTrainWorker): FromTrainWorker | null {
  switch (message.type) {
    case 'configure':
      rank = message.rank
      return { type: 'configured', id: message.id }
    case 'step':
      return step(message)
    case 'evaluate':
      return evaluateBatches(message)
    case 'memory':
      return memory(message.id)
    case 'close':
      model.dispose()
      discriminator?.dispose()
      port!.close()
      return null
  }
}

async function main(): Promise<void> {
  niceCurrentThread(init.niceness)
  const { name } = await selectBackend('wasm')
  model = new VaeModel(init.model, 0)
  if (init.layout.discriminatorFrom < init.layout.total) discriminator = new PatchDiscriminator(init.model.channels)
  variables = [...model.trainableVariables, ...(discriminator?.variables ?? [])]
  const shapes = variables.map((v) => v.shape.join('x'))
  const expected = init.layout.entries.map((e) => e.shape.join('x'))
  if (shapes.join() !== expected.join()) throw new Error(`the worker's model has weights [${shapes}] but the run has [${expected}]`)
  port!.on('message', (message: ToTrainWorker) => {
    let reply: FromTrainWorker | null
    try {
      reply = handle(message)
    } catch (err) {
      // Nobody may stay waiting at a barrier for a worker that left the step.
      abortBarrier(control)
      reply = { type: 'failed', id: 'id' in message ? message.id : -1, rank, message: messageOf(err) }
    }
    if (reply) port!.postMessage(reply)
  })
  port!.postMessage({ type: 'ready', rank, backend: name } satisfies FromTrainWorker)
}

void main()
