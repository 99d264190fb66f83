/**
 * The training loop: shuffled batches, a fixed validation split, live β, pause/resume/stop, a
 * NaN guard, checkpoints every N steps and each epoch, and events for the UI and CLI. Everything
 * random comes from seeds or from one generator whose state is checkpointed, so a run resumed from
 * a checkpoint takes exactly the steps the uninterrupted run would have taken.
 */
import * as tf from '../tf'
import type { TrainConfig } from '../../../shared/config'
import type { TrainEpoch, TrainNotice, TrainProgress, TrainState } from '../../../shared/events'
import type { VaeModel } from '../model/vae-model'
import type { Checkpoint } from '../project/checkpoint-manifest'
import type { HistoryEntry, HistoryStepRow } from '../project/history-log'
import { Rng } from '../random/rng'
import { buildBatch, type DatasetPixels } from './batch-builder'
import { effectiveBeta } from './beta-schedule'
import { epochOrder, splitIndices, stepsPerEpoch, type DataSplit } from './data-split'
import { saveOrWait } from './disk-full-policy'
import { EpochMeans, epochReport } from './epoch-report'
import { NanGuard } from './nan-guard'
import { loadOptimizerState, optimizerState } from './optimizer-state'
import { RunControl } from './run-control'
import { ThroughputMeter } from './throughput-meter'
import { trainStep } from './train-step'

/** Where a run persists itself: the project folder (see `project-training-store.ts`). */
export interface TrainingStore {
  saveCheckpoint(checkpoint: Checkpoint): Promise<void>
  appendHistory(rows: HistoryEntry[]): Promise<void>
}

export interface TrainerEvents {
  progress(p: TrainProgress): void
  epoch(e: TrainEpoch): void
  state(s: TrainState): void
  notice(n: TrainNotice): void
}

export interface TrainerOptions {
  model: VaeModel
  config: TrainConfig
  data: DatasetPixels & { count: number }
  store: TrainingStore
  events: TrainerEvents
  resumeFrom?: Checkpoint | null
}

export class Trainer {
  private readonly model: VaeModel
  private readonly config: TrainConfig
  private readonly data: TrainerOptions['data']
  private readonly store: TrainingStore
  private readonly events: TrainerEvents
  private readonly split: DataSplit
  private readonly stepsPerEpoch: number
  private readonly totalSteps: number
  private optimizer: tf.Optimizer
  private rng: Rng
  private step: number
  private targetBeta: number
  private orderCache: { epoch: number; order: number[] } | null = null
  private readonly control = new RunControl()
  private lastGood: Checkpoint | null = null
  private pendingRows: HistoryEntry[] = []
  private readonly nanGuard = new NanGuard()
  private readonly epochMeans = new EpochMeans()

  constructor(private readonly options: TrainerOptions) {
    this.model = options.model
    this.config = options.config
    this.data = options.data
    this.store = options.store
    this.events = options.events
    this.split = splitIndices(this.data.count, this.config.valFraction, this.config.seed)
    this.stepsPerEpoch = stepsPerEpoch(this.split.train.length, this.config.batchSize)
    this.totalSteps = this.stepsPerEpoch * this.config.epochs
    this.optimizer = tf.train.adam(this.config.learningRate)
    const resume = options.resumeFrom
    this.rng = new Rng(resume?.rngState ?? this.config.seed + 1)
    this.step = resume?.step ?? 0
    // The configured β wins over the checkpoint's: the user may have moved the slider since.
    this.targetBeta = this.config.beta
  }

  get currentStep(): number {
    return this.step
  }

  get beta(): number {
    return this.targetBeta
  }

  /** Runs until the configured epochs are done, or stop() is called. Resolves with the final state. */
  async run(): Promise<TrainState> {
    const resume = this.options.resumeFrom
    if (resume) {
      this.model.loadWeightArrays(resume.tensors)
      await this.loadOptimizer(resume.optimizer)
      this.lastGood = resume
    } else {
      this.lastGood = await this.snapshot()
    }
    if (this.step >= this.totalSteps) {
      const state: TrainState = { state: 'finished', reason: `already trained ${this.config.epochs} epoch(s); raise the epoch count to train further` }
      this.events.state(state)
      return state
    }
    this.events.state({ state: 'running' })
    const meter = new ThroughputMeter()
    while (this.step < this.totalSteps) {
      const pausedUntil = this.control.pausedUntil
      if (pausedUntil) {
        await this.save()
        this.events.state({ state: 'paused' })
        await pausedUntil
        if (!this.control.stopRequested) this.events.state({ state: 'running' })
        meter.restartWindow()
      }
      if (this.control.stopRequested) break
      const started = performance.now()
      const epoch = Math.floor(this.step / this.stepsPerEpoch)
      const indices = this.batchIndices(epoch, this.step % this.stepsPerEpoch)
      const beta = effectiveBeta(this.targetBeta, this.config.warmup, this.step)
      const flips = this.config.augmentFlip ? indices.map(() => this.rng.next() < 0.5) : undefined
      const eps = this.normals(indices.length * this.model.config.latentDim)
      const result = trainStep({
        model: this.model,
        optimizer: this.optimizer,
        batch: buildBatch(this.data, indices, flips),
        eps,
        batchSize: indices.length,
        beta,
        recon: this.model.config.recon
      })
      if (!result.applied) {
        const failedStep = this.step + 1
        const verdict = this.nanGuard.record(failedStep, result.loss, this.lastGood!.step, this.config.learningRate)
        await this.restore(this.lastGood!)
        if (verdict.diverged) {
          const state: TrainState = { state: 'failed', reason: verdict.reason }
          this.events.state(state)
          return state
        }
        this.events.notice({ step: failedStep, message: verdict.notice })
        continue
      }
      this.step++
      meter.recordStep(indices.length, started)
      const row: HistoryStepRow = { step: this.step, epoch, loss: result.loss, recon: result.recon, kl: result.kl, beta, t: Date.now() }
      this.pendingRows.push(row)
      this.epochMeans.add(result)
      this.events.progress({
        ...row,
        totalSteps: this.totalSteps,
        stepsPerEpoch: this.stepsPerEpoch,
        targetBeta: this.targetBeta,
        imgPerSec: meter.imgPerSec,
        etaSec: meter.etaSec(this.totalSteps - this.step)
      })
      const epochDone = this.step % this.stepsPerEpoch === 0
      if (epochDone) this.finishEpoch(epoch)
      if (epochDone || this.step % this.config.checkpointEverySteps === 0) await this.save()
      // Let requests (β, pause, decode) in between steps.
      await new Promise((resolve) => setImmediate(resolve))
    }
    await this.save()
    const state: TrainState = this.control.stopRequested ? { state: 'stopped' } : { state: 'finished' }
    this.events.state(state)
    return state
  }

  setBeta(beta: number): void {
    this.targetBeta = beta
  }

  pause(): void {
    this.control.pause()
  }

  resume(): void {
    this.control.resume()
  }

  stop(): void {
    this.control.stop()
  }

  dispose(): void {
    this.optimizer.dispose()
  }

  private batchIndices(epoch: number, position: number): number[] {
    if (this.orderCache?.epoch !== epoch) this.orderCache = { epoch, order: epochOrder(this.split.train, this.config.seed, epoch) }
    const { batchSize } = this.config
    return this.orderCache.order.slice(position * batchSize, (position + 1) * batchSize)
  }

  private normals(count: number): Float32Array {
    const out = new Float32Array(count)
    for (let i = 0; i < count; i++) out[i] = this.rng.normal()
    return out
  }

  private finishEpoch(epoch: number): void {
    const train = this.epochMeans.take()
    const { row, event } = epochReport({ model: this.model, data: this.data, split: this.split, config: this.config, epoch, step: this.step, beta: this.targetBeta, train })
    this.pendingRows.push(row)
    this.events.epoch(event)
  }

  private async snapshot(): Promise<Checkpoint> {
    const optimizer = await optimizerState(this.optimizer)
    return {
      step: this.step,
      epoch: Math.floor(this.step / this.stepsPerEpoch),
      beta: effectiveBeta(this.targetBeta, this.config.warmup, this.step),
      targetBeta: this.targetBeta,
      rngState: this.rng.state,
      seeds: { split: this.config.seed, init: this.config.seed },
      tensors: this.model.weightArrays(),
      optimizer
    }
  }

  /** Checkpoints, pausing the run while the disk refuses (see `disk-full-policy.ts`). */
  private save(): Promise<void> {
    return saveOrWait(() => this.checkpoint(), this.control, this.events)
  }

  private async checkpoint(): Promise<void> {
    if (this.lastGood?.step === this.step && this.pendingRows.length === 0) return
    const snapshot = await this.snapshot()
    // History first: a checkpoint must never be newer than the history describing it.
    await this.store.appendHistory(this.pendingRows)
    this.pendingRows = []
    await this.store.saveCheckpoint(snapshot)
    this.lastGood = snapshot
    this.nanGuard.reset()
  }

  private async restore(checkpoint: Checkpoint): Promise<void> {
    this.model.loadWeightArrays(checkpoint.tensors)
    await this.loadOptimizer(checkpoint.optimizer)
    this.pendingRows = this.pendingRows.filter((r) => r.step <= checkpoint.step)
    this.step = checkpoint.step
    // The generator is deliberately not rewound: replaying the same noise would replay the NaN.
  }

  private async loadOptimizer(state: Checkpoint['optimizer']): Promise<void> {
    if (state.tensors.length === 0) return
    this.optimizer.dispose()
    this.optimizer = tf.train.adam(this.config.learningRate)
    await loadOptimizerState(this.optimizer, state)
  }
}
