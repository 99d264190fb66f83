/**
 * Data-parallel training on worker threads, driven from the engine thread without blocking it:
 * the training loop's `StepRunner` on wasm (see README.md).
 *
 * The engine thread (coordinator) draws each step's rows, flips and ε exactly as the one-thread
 * trainer does and posts each worker its shard (a few kB). Workers compute their shard's
 * gradients, meet at a barrier, each sums the slots over its own range of the parameters and
 * applies Adam there, meet again, and worker 0 publishes the new weights version. The engine
 * thread only awaits replies, so it answers requests during steps, and it reads the published
 * weights (for decoding, checkpoints) straight from shared memory.
 */
import * as os from 'node:os'
import type { Worker } from 'node:worker_threads'
import * as tf from '../../tf'
import type { ModelConfig } from '../../../../shared/config'
import type { VaeModel } from '../../model/vae-model'
import type { Checkpoint, NamedArray } from '../../project/checkpoint-manifest'
import type { DatasetPixels } from '../batch-builder'
import { adamConfig, discriminatorAdamConfig } from './adam'
import { resetBarrier } from './barrier'
import { sumBatches, type BatchTerms } from '../held-out'
import type {
  DiscriminatorState,
  HeldOutBatch,
  HeldOutTerms,
  LostWorker,
  RunnerState,
  StepRequest,
  StepResult,
  StepRunner
} from '../step-runner'
import type { ObjectiveWeights } from '../vae-objective'
import type { FromTrainWorker, StepTimings, WorkerInit } from './protocol'
import { SharedState, allocateShared, layoutOf, shardRows, shareImages } from './shared-state'
import { SharedWeights } from './shared-weights'
import { StepWatchdog, type WatchdogLimits } from './step-watchdog'
import { TrainWorkers, startTrainWorker } from './train-workers'

export interface ParallelTrainerOptions {
  model: ModelConfig
  data: DatasetPixels
  learningRate: number
  /**
   * Starting weights (`VaeModel.weightArrays()` order) and, when resuming, Adam's state; with a
   * `discriminator` the run can sharpen (its tensors join the shared layout after the VAE's).
   */
  initial: { tensors: NamedArray[]; optimizer?: Checkpoint['optimizer']; discriminator?: DiscriminatorState }
  /** Worker threads; default: every core. */
  workers?: number
  /**
   * Shards each batch is cut into (default: `workers`). Gradients are summed in shard order, so
   * the run's numbers depend on this, never on how many workers share the shards: a run that
   * lost a worker, or resumed on another machine with the same `shards`, is bit for bit the same.
   * Keep it in the run's checkpoint. 1 reproduces the engine thread's trainer exactly.
   */
  shards?: number
  /** Linux nice value of the workers, so decodes on the engine thread win the CPU (default 0). */
  niceness?: number
  /** How to start a worker; replaceable so tests can hold on to (and kill) them. */
  startWorker?: (init: WorkerInit) => Worker
  /** When a silent worker is taken for stuck (default: 20× the recent median step, at least 60 s); tests shorten it. */
  watchdog?: Partial<WatchdogLimits>
}

/** Where the last step's time went: per worker (by rank), and on the engine thread. */
export interface StepDiagnostics {
  timings: StepTimings[]
  /** Engine-thread time spent posting the step and handling its replies. */
  orchestrationMs: number
}

/**
 * The coordinator: posts each step's shards and evaluations to the workers (`TrainWorkers`) and
 * turns their replies into results; weights move only through shared memory (`SharedWeights`).
 */
export class ParallelTrainer implements StepRunner {
  private readonly state: SharedState
  private readonly pool: TrainWorkers
  private readonly weights: SharedWeights
  private readonly watchdog: StepWatchdog
  private diagnostics: StepDiagnostics | null = null

  private constructor(
    private readonly options: ParallelTrainerOptions,
    /** The workers the run started with: `recover` starts new ones up to this many. */
    maxWorkers: number,
    init: Omit<WorkerInit, 'rank'>
  ) {
    this.state = new SharedState(init.shared, init.layout)
    this.pool = new TrainWorkers(init, this.state.control, options.startWorker ?? startTrainWorker, maxWorkers)
    this.weights = new SharedWeights(this.state, init.adam, init.discriminatorAdam)
    this.watchdog = new StepWatchdog(options.watchdog)
  }

  /** Starts the workers (each loads tfjs and the model: about a second) and resolves when all are ready. */
  static async start(options: ParallelTrainerOptions): Promise<ParallelTrainer> {
    const workers = Math.max(1, options.workers ?? os.availableParallelism())
    const shards = Math.max(1, options.shards ?? workers)
    const discriminator = options.initial.discriminator
    const layout = layoutOf(options.initial.tensors, discriminator?.tensors.slice(0, discriminatorTensorCount(discriminator)))
    const shared = allocateShared(layout, shards, workers, shareImages(options.data.images))
    const epsilon = (tf.backend() as unknown as { epsilon(): number }).epsilon()
    const trainer = new ParallelTrainer(options, workers, {
      model: options.model,
      layout,
      shared,
      dataset: { size: options.data.size, channels: options.data.channels },
      adam: adamConfig(options.learningRate, epsilon),
      discriminatorAdam: discriminatorAdamConfig(epsilon),
      niceness: options.niceness ?? 0
    })
    trainer.weights.initialize(options.initial.tensors, options.initial.optimizer, discriminator)
    try {
      await trainer.pool.startAll()
    } catch (err) {
      await trainer.dispose()
      throw err
    }
    return trainer
  }

  /** The shard count is fixed for a run: its checkpoints keep it, and a resume passes it back. */
  get meta(): Record<string, unknown> {
    return { shards: this.shards }
  }

  /** Live workers. */
  get workers(): number {
    return this.pool.live().length
  }

  get version(): number {
    return this.state.version
  }

  get shards(): number {
    return this.state.shards
  }

  /** Where the last applied step's time went, for the bench and diagnostics. */
  get lastStep(): StepDiagnostics | null {
    return this.diagnostics
  }

  /** Why the run cannot step until `recover()`, or null. */
  get lost(): string | null {
    return this.pool.failure?.message ?? null
  }

  /** The threads, by rank (tests kill one to check that the loss is reported). */
  get threads(): Worker[] {
    return this.pool.live().map((t) => t.worker)
  }

  /** One step on every live worker; `LostWorker` when one was lost before the new weights were published (nothing changed). */
  async step(request: StepRequest): Promise<StepResult | LostWorker> {
    const unusable = this.unusable()
    if (unusable) return unusable
    const started = performance.now()
    const live = this.pool.live()
    const batchSize = request.rows.length
    const latentDim = this.options.model.latentDim
    if (request.eps.length !== batchSize * latentDim)
      throw new Error(`ε has ${request.eps.length} values; a batch of ${batchSize} needs ${batchSize * latentDim}`)
    resetBarrier(this.state.control, live.length)
    const versionBefore = this.state.version
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
    const collected = this.pool.request(
      live,
      (rank) => {
        const mine = work.filter((w) => w.shard % live.length === rank)
        return [
          {
            type: 'step',
            workers: live.length,
            shards,
            mine,
            batchSize,
            beta: request.beta,
            noiseVariance: request.noiseVariance,
            adversaryWeight: request.adversaryWeight ?? null
          },
          mine.map((w) => w.eps.buffer as ArrayBuffer)
        ]
      },
      this.watchdog.deadline()
    )
    let orchestrationMs = performance.now() - started
    const { replies, lost } = await collected
    const handled = performance.now()
    const version = this.state.version
    const stepped = [...replies.values()].filter((r): r is Extract<FromTrainWorker, { type: 'stepped' }> => r.type === 'stepped')
    const failed = [...replies.values()].find((r) => r.type === 'failed')
    // A step whose version was published landed whole, even if a worker died right after it.
    if (version === versionBefore + 1 && stepped.length > 0) {
      this.watchdog.record(handled - started)
      return this.result(stepped, orchestrationMs + performance.now() - handled)
    }
    if (lost.length > 0) return { lost: this.pool.failure!.message }
    if (failed?.type === 'failed') throw new Error(`training worker ${failed.rank} failed: ${failed.message}`)
    if (stepped.length === live.length && stepped.every((r) => !r.applied)) {
      orchestrationMs += performance.now() - handled
      return this.result(stepped, orchestrationMs)
    }
    throw new Error('the training step was aborted')
  }

  /** Held-out terms at the published weights, batches spread over the workers, summed in batch order. */
  async evaluate(batches: readonly HeldOutBatch[], { beta, noiseVariance }: ObjectiveWeights): Promise<HeldOutTerms | LostWorker> {
    const unusable = this.unusable()
    if (unusable) return unusable
    const live = this.pool.live()
    const { replies, lost } = await this.pool.request(
      live,
      (rank) => {
        const mine = batches.map((b, index) => ({ index, rows: b.rows, eps: b.eps })).filter((b) => b.index % live.length === rank)
        return [{ type: 'evaluate', noiseVariance, batches: mine }]
      },
      this.watchdog.deadline(Math.ceil(batches.length / live.length))
    )
    if (lost.length > 0) return { lost: this.pool.failure!.message }
    const all: BatchTerms[] = []
    for (const reply of replies.values()) {
      if (reply.type === 'failed') throw new Error(`training worker ${reply.rank} failed: ${reply.message}`)
      if (reply.type === 'evaluated') all.push(...reply.batches)
    }
    return sumBatches(all, beta, this.options.model.latentDim)
  }

  /** Live tensors in each worker's tfjs (after freeing kernel caches), for leak checks. */
  async memory(): Promise<Array<{ rank: number; numTensors: number; numDataIds: number }>> {
    this.requireIdle()
    const { replies } = await this.pool.request(this.pool.live(), () => [{ type: 'memory' }])
    return [...replies.entries()]
      .flatMap(([thread, r]) =>
        r.type === 'memory' ? [{ rank: this.pool.rankOf(thread), numTensors: r.numTensors, numDataIds: r.numDataIds }] : []
      )
      .sort((a, b) => a.rank - b.rank)
  }

  /**
   * Loads the published weights into a model on this thread (for decoding, previews) when they
   * changed since its last sync: a copy out of shared memory, never a wait for a step.
   * `decoderOnly` copies just the decoder (about half the weights). Returns whether it copied.
   */
  syncModel(model: VaeModel, options: { decoderOnly?: boolean } = {}): boolean {
    return this.weights.syncModel(model, options)
  }

  /** The published weights and Adam state in the checkpoint's shape, copied out of shared memory. */
  snapshot(): RunnerState {
    return this.weights.snapshot()
  }

  /**
   * The last step's batch gradient as the workers summed it (shards in order), flat in the
   * layout's order; for tests and diagnostics. Valid between steps.
   */
  lastGradient(): Float32Array {
    this.requireIdle()
    return this.weights.lastGradient()
  }

  /**
   * Between steps: replaces the weights (and Adam's state, or a fresh Adam when `optimizer` is
   * absent or has no slots) with a checkpoint's, e.g. to roll back a NaN step. Every replica
   * reloads at its next step.
   */
  load({ tensors, optimizer, discriminator }: RunnerState): void {
    this.requireIdle()
    this.weights.publish(tensors, optimizer, discriminator)
  }

  /**
   * After a `LostWorker`: goes on with the surviving workers (default), or starts new ones
   * up to `workers` (at most the number the run started with). The state is the last published
   * one and the shards do not change, so re-running the step that failed gives exactly what it
   * would have given.
   */
  async recover(options: { workers?: number } = {}): Promise<void> {
    this.requireIdle()
    await this.pool.regroup(options.workers)
    resetBarrier(this.state.control, this.pool.live().length)
    this.pool.clearFailure()
  }

  /** Ends every worker; resolves once they have exited. */
  async dispose(): Promise<void> {
    await this.pool.dispose()
  }

  private requireIdle(): void {
    if (this.pool.busy) throw new Error('a training step is in progress: call this between steps')
    if (this.pool.closed) throw new Error('the parallel trainer has been disposed')
  }

  /** Steps wait for `recover()` once a worker is lost. */
  private unusable(): LostWorker | null {
    this.requireIdle()
    const failure = this.pool.failure
    if (failure) return { lost: failure.message }
    if (this.pool.live().length === 0) return { lost: 'no training worker is running' }
    return null
  }

  private result(stepped: Array<Extract<FromTrainWorker, { type: 'stepped' }>>, orchestrationMs: number): StepResult {
    const first = stepped.find((r) => r.rank === 0) ?? stepped[0]
    const [loss, recon, kl, squaredError, discriminatorLoss, reconGradientSq, adversarialGradientSq] = first.terms
    const timings = [...stepped].sort((a, b) => a.rank - b.rank).map((r) => r.timings)
    this.diagnostics = { timings, orchestrationMs }
    return { loss, recon, kl, squaredError, discriminatorLoss, reconGradientSq, adversarialGradientSq, applied: first.applied }
  }
}

/** A discriminator's state holds its weights, and after them its moments when it has trained. */
function discriminatorTensorCount(state: DiscriminatorState): number {
  const moments = state.tensors.filter((t) => t.name.endsWith('/m') || t.name.endsWith('/v')).length
  return state.tensors.length - moments
}
