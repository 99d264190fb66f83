/**
 * Data-parallel training on worker threads, driven from the engine thread without blocking it.
 *
 * The engine thread (coordinator) draws each step's rows, flips and ε exactly as the one-thread
 * trainer does and posts each worker its shard (a few kB). Workers compute their shard's
 * gradients, meet at a barrier, each sums the slots over its own range of the parameters and
 * applies Adam there, meet again, and worker 0 publishes the new weights version. The engine
 * thread only awaits replies, so it answers requests during steps, and it reads the published
 * weights (for decoding, checkpoints) straight from shared memory.
 */
import { existsSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Worker } from 'node:worker_threads'
import * as tf from '../../tf'
import type { ModelConfig } from '../../../../shared/config'
import type { VaeModel } from '../../model/vae-model'
import type { Checkpoint, NamedArray } from '../../project/checkpoint-manifest'
import type { DatasetPixels } from '../batch-builder'
import { adamConfig, initialAdamScalars, type AdamConfig } from './adam'
import { abortBarrier, resetBarrier } from './barrier'
import type { EvaluatedBatch, FromTrainWorker, StepTimings, ToTrainWorker, WorkerInit } from './protocol'
import { Ctl, SharedState, allocateShared, layoutOf, shardRows, shareImages } from './shared-state'

export type { StepTimings } from './protocol'

export interface ParallelTrainerOptions {
  model: ModelConfig
  data: DatasetPixels
  learningRate: number
  /** Starting weights (`VaeModel.weightArrays()` order) and, when resuming, Adam's state. */
  initial: { tensors: NamedArray[]; optimizer?: Checkpoint['optimizer'] }
  /** Worker threads; default: every core. */
  workers?: number
  /**
   * Shards each batch is cut into (default: `workers`). Gradients are summed in shard order, so
   * the run's numbers depend on this, never on how many workers share the shards: a run that
   * lost a worker, or resumed on another machine with the same `shards`, is bit for bit the same.
   * Keep it in the run's checkpoint. 1 reproduces today's one-thread trainer exactly.
   */
  shards?: number
  /** Linux nice value of the workers, so decodes on the engine thread win the CPU (default 0). */
  niceness?: number
  /** How to start a worker; replaceable so tests can hold on to (and kill) them. */
  startWorker?: (init: WorkerInit) => Worker
}

export interface ParallelStepRequest {
  /** Dataset rows of the whole batch, in batch order. */
  rows: readonly number[]
  flips?: readonly boolean[]
  /** ε for the whole batch, [rows, latentDim] row-major. */
  eps: Float32Array
  beta: number
}

export interface ParallelStepResult {
  loss: number
  recon: number
  kl: number
  /** False when the loss was not finite: nothing changed (the caller rolls back as today). */
  applied: boolean
  /** The published weights version after the step. */
  version: number
  /** Per worker, by rank. */
  timings: StepTimings[]
  /** Engine-thread time spent posting the step and handling its replies. */
  orchestrationMs: number
}

export interface EvaluateResult {
  loss: number
  recon: number
  kl: number
  klPerDim: number[]
}

/** A worker thread ended or failed; the published state is intact and `recover()` continues. */
export class WorkerLostError extends Error {
  constructor(
    message: string,
    readonly lostRanks: number[]
  ) {
    super(message)
    this.name = 'WorkerLostError'
  }
}

interface Slot {
  worker: Worker
  rank: number
  alive: boolean
  ready: boolean
  error: string | null
}

interface Pending {
  seq: number
  waiting: Set<Slot>
  replies: Map<Slot, FromTrainWorker>
  lost: Slot[]
  done: () => void
}

export class ParallelTrainer {
  private slots: Slot[] = []
  private readonly state: SharedState
  private readonly adam: AdamConfig
  private nextSeq = 1
  private pending: Pending | null = null
  private failure: { message: string; ranks: number[] } | null = null
  private closing = false
  private readonly synced = new WeakMap<VaeModel, { version: number; decoderOnly: boolean }>()

  private constructor(
    private readonly options: ParallelTrainerOptions,
    /** The workers the run started with: `recover` starts new ones up to this many. */
    private readonly maxWorkers: number,
    private readonly init: Omit<WorkerInit, 'rank'>
  ) {
    this.state = new SharedState(init.shared, init.layout)
    this.adam = init.adam
  }

  /** Starts the workers (each loads tfjs and the model: about a second) and resolves when all are ready. */
  static async start(options: ParallelTrainerOptions): Promise<ParallelTrainer> {
    const workers = Math.max(1, options.workers ?? os.availableParallelism())
    const shards = Math.max(1, options.shards ?? workers)
    const layout = layoutOf(options.initial.tensors)
    const shared = allocateShared(layout, shards, shareImages(options.data.images))
    const epsilon = (tf.backend() as unknown as { epsilon(): number }).epsilon()
    const trainer = new ParallelTrainer(options, workers, {
      model: options.model,
      layout,
      shared,
      dataset: { size: options.data.size, channels: options.data.channels },
      adam: adamConfig(options.learningRate, epsilon),
      niceness: options.niceness ?? 0
    })
    trainer.writeState(0, options.initial.tensors, options.initial.optimizer)
    Atomics.store(trainer.state.control, Ctl.version, 0)
    try {
      await Promise.all(Array.from({ length: workers }, (_, rank) => trainer.spawn(rank)))
    } catch (err) {
      await trainer.dispose()
      throw err
    }
    return trainer
  }

  /** Live workers. */
  get workers(): number {
    return this.live().length
  }

  get version(): number {
    return this.state.version
  }

  get shards(): number {
    return this.state.shards
  }

  /** Why the run cannot step until `recover()`, or null. */
  get lost(): string | null {
    return this.failure?.message ?? null
  }

  /** The threads, by rank (tests kill one to check that the loss is reported). */
  get threads(): Worker[] {
    return this.live().map((s) => s.worker)
  }

  async step(request: ParallelStepRequest): Promise<ParallelStepResult> {
    this.requireUsable()
    const started = performance.now()
    const live = this.live()
    const batchSize = request.rows.length
    const latentDim = this.options.model.latentDim
    if (request.eps.length !== batchSize * latentDim) throw new Error(`ε has ${request.eps.length} values; a batch of ${batchSize} needs ${batchSize * latentDim}`)
    resetBarrier(this.state.control, live.length)
    const versionBefore = this.state.version
    const seq = this.nextSeq++
    const collected = this.collect(seq, live)
    const shards = this.state.shards
    const work = Array.from({ length: shards }, (_, shard) => {
      const [start, end] = shardRows(batchSize, shards, shard)
      return {
        shard,
        rows: request.rows.slice(start, end),
        flips: request.flips ? request.flips.slice(start, end) : null,
        eps: request.eps.slice(start * latentDim, end * latentDim)
      }
    })
    for (const slot of live) {
      const mine = work.filter((w) => w.shard % live.length === slot.rank)
      this.post(
        slot,
        { type: 'step', seq, workers: live.length, shards, mine, batchSize, beta: request.beta },
        mine.map((w) => w.eps.buffer as ArrayBuffer)
      )
    }
    let orchestrationMs = performance.now() - started
    const { replies, lost } = await collected
    const handled = performance.now()
    const version = this.state.version
    const stepped = [...replies.values()].filter((r): r is Extract<FromTrainWorker, { type: 'stepped' }> => r.type === 'stepped')
    const failed = [...replies.values()].find((r) => r.type === 'failed')
    // A step whose version was published landed whole, even if a worker died right after it.
    if (version === versionBefore + 1 && stepped.length > 0) return this.result(stepped, version, orchestrationMs + performance.now() - handled)
    if (lost.length > 0) throw new WorkerLostError(this.failure!.message, this.failure!.ranks)
    if (failed?.type === 'failed') throw new Error(`training worker ${failed.rank} failed: ${failed.message}`)
    if (stepped.length === live.length && stepped.every((r) => !r.applied)) {
      orchestrationMs += performance.now() - handled
      return this.result(stepped, version, orchestrationMs)
    }
    throw new Error('the training step was aborted')
  }

  /** Held-out terms at the published weights, batches spread over the workers, summed in batch order. */
  async evaluate(batches: Array<{ rows: number[]; eps: Float32Array }>, beta: number): Promise<EvaluateResult> {
    this.requireUsable()
    const live = this.live()
    const seq = this.nextSeq++
    const collected = this.collect(seq, live)
    for (const slot of live) {
      const mine = batches.map((b, index) => ({ index, rows: b.rows, eps: b.eps })).filter((b) => b.index % live.length === slot.rank)
      this.post(slot, { type: 'evaluate', seq, batches: mine })
    }
    const { replies, lost } = await collected
    if (lost.length > 0) throw new WorkerLostError(this.failure!.message, this.failure!.ranks)
    const all: EvaluatedBatch[] = []
    for (const reply of replies.values()) {
      if (reply.type === 'failed') throw new Error(`training worker ${reply.rank} failed: ${reply.message}`)
      if (reply.type === 'evaluated') all.push(...reply.batches)
    }
    all.sort((a, b) => a.index - b.index)
    let n = 0
    let recon = 0
    let kl = 0
    const klDims = new Float64Array(this.options.model.latentDim)
    for (const b of all) {
      recon += b.recon * b.size
      kl += b.kl * b.size
      b.klPerDim.forEach((v, i) => (klDims[i] += v * b.size))
      n += b.size
    }
    return { loss: (recon + beta * kl) / n, recon: recon / n, kl: kl / n, klPerDim: Array.from(klDims, (v) => v / n) }
  }

  /** Live tensors in each worker's tfjs (after freeing kernel caches), for leak checks. */
  async memory(): Promise<Array<{ rank: number; numTensors: number; numDataIds: number }>> {
    this.requireIdle()
    const live = this.live()
    const seq = this.nextSeq++
    const collected = this.collect(seq, live)
    for (const slot of live) this.post(slot, { type: 'memory', seq })
    const { replies } = await collected
    return [...replies.entries()]
      .flatMap(([slot, r]) => (r.type === 'memory' ? [{ rank: slot.rank, numTensors: r.numTensors, numDataIds: r.numDataIds }] : []))
      .sort((a, b) => a.rank - b.rank)
  }

  /**
   * Loads the published weights into a model on this thread (for decoding, previews) when they
   * changed since its last sync: a copy out of shared memory, never a wait for a step.
   * `decoderOnly` copies just the decoder (about half the weights). Returns whether it copied.
   */
  syncModel(model: VaeModel, options: { decoderOnly?: boolean } = {}): boolean {
    const decoderOnly = options.decoderOnly ?? false
    const version = this.state.version
    const last = this.synced.get(model)
    if (last && last.version === version && (last.decoderOnly === false || decoderOnly)) return false
    const block = this.state.weights(version & 1)
    const encoderCount = model.encoder.weights.length
    const targets = [...model.encoder.weights, ...model.decoder.weights]
    if (targets.length !== this.state.layout.entries.length) throw new Error('this model is not the one being trained')
    // wasm copies a new tensor's values into its heap; the cpu backend would alias shared memory.
    const copy = tf.getBackend() !== 'wasm'
    targets.forEach((w, i) => {
      if (decoderOnly && i < encoderCount) return
      const view = this.state.entryView(block, i)
      tf.tidy(() => {
        w.write(tf.tensor(copy ? view.slice() : view, w.shape as number[]))
      })
    })
    this.synced.set(model, { version, decoderOnly })
    return true
  }

  /**
   * The published weights and Adam state in the checkpoint's shape (the same tensors, order and
   * `iter` entry that `tf.train.adam().getWeights()` gives), copied out of shared memory.
   */
  snapshot(): { tensors: NamedArray[]; optimizer: Checkpoint['optimizer'] } {
    const parity = this.state.version & 1
    const { entries } = this.state.layout
    const copy = (block: Float32Array, suffix: string): NamedArray[] =>
      entries.map((e, i) => ({ name: e.name + suffix, shape: [...e.shape], data: this.state.entryView(block, i).slice() }))
    const { iterations } = this.state.adamScalars(parity)
    return {
      tensors: copy(this.state.weights(parity), ''),
      optimizer: {
        name: 'adam',
        iterations,
        tensors: [
          { name: 'iter', shape: [], data: Float32Array.of(iterations) },
          ...copy(this.state.firstMoment(parity), '/m'),
          ...copy(this.state.secondMoment(parity), '/v')
        ]
      }
    }
  }

  /**
   * The last step's batch gradient as the workers summed it (shards in order), flat in the
   * layout's order; for tests and diagnostics. Valid between steps.
   */
  lastGradient(): Float32Array {
    this.requireIdle()
    const { total } = this.state.layout
    const sum = this.state.gradientSlot(0).slice(0, total)
    for (let k = 1; k < this.state.shards; k++) {
      const slot = this.state.gradientSlot(k)
      for (let i = 0; i < total; i++) sum[i] += slot[i]
    }
    return sum
  }

  /**
   * Between steps: replaces the weights (and Adam's state, or a fresh Adam when `optimizer` is
   * absent or empty) with a checkpoint's, e.g. to roll back a NaN step. Every replica reloads
   * at its next step.
   */
  load(tensors: NamedArray[], optimizer?: Checkpoint['optimizer']): void {
    this.requireIdle()
    const next = (this.state.version + 1) & 1
    this.writeState(next, tensors, optimizer)
    Atomics.store(this.state.control, Ctl.version, this.state.version + 1)
  }

  /**
   * After a `WorkerLostError`: goes on with the surviving workers (default), or starts new ones
   * up to `workers` (at most the number the run started with). The state is the last published
   * one and the shards do not change, so re-running the step that failed gives exactly what it
   * would have given.
   */
  async recover(options: { workers?: number } = {}): Promise<void> {
    this.requireIdle()
    const survivors = this.live()
    this.slots = survivors
    const target = Math.min(this.maxWorkers, Math.max(1, options.workers ?? survivors.length))
    // One at a time: each is a request of its own.
    for (const [rank, slot] of survivors.entries()) await this.configure(slot, rank)
    const spawned: Promise<void>[] = []
    for (let rank = survivors.length; rank < target; rank++) spawned.push(this.spawn(rank))
    await Promise.all(spawned)
    resetBarrier(this.state.control, this.live().length)
    this.failure = null
  }

  /** Ends every worker; resolves once they have exited. */
  async dispose(): Promise<void> {
    this.closing = true
    const slots = this.slots
    this.slots = []
    await Promise.all(
      slots.map(async (slot) => {
        if (!slot.alive) return
        const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()))
        if (slot.ready) slot.worker.postMessage({ type: 'close' } satisfies ToTrainWorker)
        else await slot.worker.terminate()
        const timer = setTimeout(() => void slot.worker.terminate(), 5000)
        await exited
        clearTimeout(timer)
      })
    )
  }

  private live(): Slot[] {
    return this.slots.filter((s) => s.alive).sort((a, b) => a.rank - b.rank)
  }

  private requireIdle(): void {
    if (this.pending) throw new Error('a training step is in progress: call this between steps')
    if (this.closing) throw new Error('the parallel trainer has been disposed')
  }

  private requireUsable(): void {
    this.requireIdle()
    if (this.failure) throw new WorkerLostError(this.failure.message, this.failure.ranks)
    if (this.live().length === 0) throw new WorkerLostError('no training worker is running', [])
  }

  private result(stepped: Array<Extract<FromTrainWorker, { type: 'stepped' }>>, version: number, orchestrationMs: number): ParallelStepResult {
    const first = stepped.find((r) => r.rank === 0) ?? stepped[0]
    const [loss, recon, kl] = first.terms
    const timings = [...stepped].sort((a, b) => a.rank - b.rank).map((r) => r.timings)
    return { loss, recon, kl, applied: first.applied, version, timings, orchestrationMs }
  }

  private writeState(parity: number, tensors: NamedArray[], optimizer?: Checkpoint['optimizer']): void {
    const { entries } = this.state.layout
    const check = (arrays: NamedArray[], what: string) => {
      if (arrays.length !== entries.length) throw new Error(`${what} holds ${arrays.length} tensors but this model has ${entries.length}`)
      arrays.forEach((a, i) => {
        if (a.shape.join('x') !== entries[i].shape.join('x')) throw new Error(`${what} tensor ${a.name} has shape [${a.shape}] but the model expects [${entries[i].shape}]`)
      })
    }
    check(tensors, 'the checkpoint')
    const weights = this.state.weights(parity)
    tensors.forEach((t, i) => weights.set(t.data, entries[i].offset))
    const slots = (optimizer?.tensors ?? []).filter((t) => t.name !== 'iter')
    const m = this.state.firstMoment(parity)
    const v = this.state.secondMoment(parity)
    if (slots.length === 0) {
      m.fill(0)
      v.fill(0)
      this.state.setAdamScalars(parity, { ...initialAdamScalars(this.adam), iterations: optimizer?.iterations ?? 0 })
      return
    }
    check(slots.slice(0, entries.length), 'the optimizer state')
    check(slots.slice(entries.length), 'the optimizer state')
    slots.slice(0, entries.length).forEach((t, i) => m.set(t.data, entries[i].offset))
    slots.slice(entries.length).forEach((t, i) => v.set(t.data, entries[i].offset))
    const iterations = optimizer!.iterations
    // As `AdamOptimizer.setWeights` does, with the same backend op, so a resume matches tfjs's.
    const power = (beta: number) => tf.tidy(() => tf.pow(beta, iterations + 1).dataSync()[0])
    this.state.setAdamScalars(parity, { iterations, accBeta1: power(this.adam.beta1), accBeta2: power(this.adam.beta2) })
  }

  private spawn(rank: number): Promise<void> {
    const init: WorkerInit = { ...this.init, rank }
    const worker = (this.options.startWorker ?? startTrainWorker)(init)
    const slot: Slot = { worker, rank, alive: true, ready: false, error: null }
    this.slots.push(slot)
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromTrainWorker) => {
        if (message.type === 'ready') {
          slot.ready = true
          this.holdWhileBusy()
          resolve()
          return
        }
        this.receive(slot, message)
      })
      worker.on('error', (err) => {
        slot.error = err instanceof Error ? err.message : String(err)
      })
      worker.on('exit', (code) => {
        slot.alive = false
        if (!slot.ready) {
          reject(new Error(`training worker ${rank} could not start: ${slot.error ?? `it exited with code ${code}`}`))
          return
        }
        if (this.closing) return
        this.lose(slot, slot.error ?? `it exited with code ${code}`)
      })
    })
  }

  /** A worker is gone: nobody may wait for it at a barrier, and steps stop until `recover()`. */
  private lose(slot: Slot, why: string): void {
    abortBarrier(this.state.control)
    const ranks = [...(this.failure?.ranks ?? []), slot.rank]
    const left = this.live().length
    this.failure = {
      message: `training worker ${slot.rank} stopped (${why}); ${left} of ${this.slots.length} worker(s) left`,
      ranks
    }
    const pending = this.pending
    if (pending?.waiting.delete(slot)) {
      pending.lost.push(slot)
      if (pending.waiting.size === 0) pending.done()
    }
    this.holdWhileBusy()
  }

  private receive(slot: Slot, message: FromTrainWorker): void {
    const pending = this.pending
    if (!pending || !('seq' in message) || message.seq !== pending.seq) return
    pending.replies.set(slot, message)
    pending.waiting.delete(slot)
    if (pending.waiting.size === 0) pending.done()
  }

  private collect(seq: number, slots: Slot[]): Promise<{ replies: Map<Slot, FromTrainWorker>; lost: Slot[] }> {
    return new Promise((resolve) => {
      const pending: Pending = {
        seq,
        waiting: new Set(slots),
        replies: new Map(),
        lost: [],
        done: () => {
          this.pending = null
          this.holdWhileBusy()
          resolve({ replies: pending.replies, lost: pending.lost })
        }
      }
      this.pending = pending
      this.holdWhileBusy()
    })
  }

  private configure(slot: Slot, rank: number): Promise<void> {
    slot.rank = rank
    const seq = this.nextSeq++
    const collected = this.collect(seq, [slot])
    this.post(slot, { type: 'configure', seq, rank })
    return collected.then(({ lost }) => {
      if (lost.length > 0) throw new WorkerLostError(this.failure?.message ?? 'a worker stopped', [rank])
    })
  }

  private post(slot: Slot, message: ToTrainWorker, transfer: ArrayBuffer[] = []): void {
    slot.worker.postMessage(message, transfer)
  }

  /**
   * Workers keep the process alive only while something awaits them, so a host that forgets
   * `dispose()` still exits (as `ParallelDecoder` does).
   */
  private holdWhileBusy(): void {
    const busy = this.pending !== null
    for (const slot of this.slots) {
      if (!slot.alive) continue
      if (busy || !slot.ready) slot.worker.ref()
      else slot.worker.unref()
    }
  }
}

/**
 * From the bundle, `train-worker.js` beside this code (or one folder up from a shared chunk);
 * from sources (vitest, tsx) the TypeScript file through tsx's require hook.
 */
export function startTrainWorker(init: WorkerInit): Worker {
  const built = [path.join(__dirname, 'train-worker.js'), path.join(__dirname, '..', 'train-worker.js')].find((file) => existsSync(file))
  if (built) return new Worker(built, { workerData: init })
  const source = path.resolve(__dirname, 'train-worker.ts')
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)})`
  return new Worker(boot, { eval: true, workerData: init })
}
