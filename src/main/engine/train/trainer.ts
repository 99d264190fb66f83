/**
 * The training loop: shuffled batches, a fixed validation split, live β, pause/resume/stop, a
 * NaN guard, checkpoints every N steps and each epoch, and events for the UI and CLI. Everything
 * random comes from seeds or from one generator whose state is checkpointed, so a run resumed from
 * a checkpoint takes exactly the steps the uninterrupted run would have taken. The arithmetic runs
 * on the engine's thread or, with `workers`, on worker threads (see step-runner.ts); a runner that
 * loses a worker says so in its answer, and the run pauses with the reason.
 */
import type { TrainConfig } from '../../../shared/config'
import type { TrainEpoch, TrainNotice, TrainProgress, TrainState } from '../../../shared/events'
import type { VaeModel } from '../model/vae-model'
import type { Checkpoint } from '../project/checkpoint-manifest'
import type { HistoryEntry, HistoryStepRow } from '../project/history-log'
import type { DatasetPixels } from './batch-builder'
import { effectiveBeta } from './beta-schedule'
import { splitIndices, stepsPerEpoch, type DataSplit } from './data-split'
import { saveOrWait, type SaveOutcome } from './disk-full-policy'
import { EpochMeans, epochReport, validationBatches } from './epoch-report'
import { NanGuard } from './nan-guard'
import type { ParallelTrainerOptions } from './parallel/parallel-trainer'
import { RunControl } from './run-control'
import { startRunner, type RunnerOptions } from './start-runner'
import { StepDraws } from './step-draws'
import type { HeldOutTerms, StepRunner } from './step-runner'
import { ThroughputMeter } from './throughput-meter'

/** Where a run persists itself: the project folder (see `project-run-recorder.ts`). */
export interface RunRecorder {
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
  store: RunRecorder
  events: TrainerEvents
  resumeFrom?: Checkpoint | null
  /**
   * Train on this many worker threads (each computing its share of every batch) instead of on the
   * calling thread. The wasm backend is single-threaded: this is how training uses every core.
   */
  workers?: number
  /** How a training worker starts (tests keep hold of them, to kill one). */
  startWorker?: ParallelTrainerOptions['startWorker']
  /** When a silent training worker is taken for stuck (tests shorten it). */
  watchdog?: ParallelTrainerOptions['watchdog']
  /** How the run's runner starts (default `startRunner`); tests reuse one set of worker threads across many runs. */
  startRunner?: (options: RunnerOptions) => Promise<StepRunner>
}

export class Trainer {
  private readonly model: VaeModel
  private readonly config: TrainConfig
  private readonly data: TrainerOptions['data']
  private readonly store: RunRecorder
  private readonly events: TrainerEvents
  private readonly split: DataSplit
  private readonly stepsPerEpoch: number
  private readonly totalSteps: number
  /** Started by `run()`: on worker threads with `workers`, else on this thread. */
  private runner: StepRunner | null = null
  private step: number
  private targetBeta: number
  private readonly control = new RunControl()
  private lastGood: Checkpoint | null = null
  private pendingRows: HistoryEntry[] = []
  private readonly draws: StepDraws
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
    const resume = options.resumeFrom
    this.draws = new StepDraws(this.split, this.config, this.model.config.latentDim, this.stepsPerEpoch, resume?.rngState)
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
    const resume = this.options.resumeFrom ?? null
    const runner = (this.runner = await (this.options.startRunner ?? startRunner)({
      model: this.model,
      data: this.data,
      learningRate: this.config.learningRate,
      resume,
      workers: this.options.workers,
      startWorker: this.options.startWorker,
      watchdog: this.options.watchdog
    }))
    this.lastGood = resume ?? (await this.snapshot())
    if (this.step >= this.totalSteps) {
      const state: TrainState = {
        state: 'finished',
        reason: `already trained ${this.config.epochs} epoch(s); raise the epoch count to train further`
      }
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
      const beta = effectiveBeta(this.targetBeta, this.config.warmup, this.step)
      const request = { ...this.draws.next(this.step), beta }
      const result = await runner.step(request)
      if ('lost' in result) {
        // Pauses with the reason; on resume the same draws run on the workers left.
        await this.workerLost(result.lost)
        continue
      }
      this.draws.spent()
      const indices = request.rows
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
      if (epochDone) await this.finishEpoch(epoch)
      if (epochDone || this.step % this.config.checkpointEverySteps === 0) await this.save()
    }
    runner.syncModel(this.model)
    const saved = await this.save()
    const state: TrainState = this.control.stopRequested ? this.stopped(saved) : { state: 'finished' }
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

  /** The engine thread's model brought up to the run's latest weights, for decodes during the run. */
  syncModel(): VaeModel {
    this.runner?.syncModel(this.model)
    return this.model
  }

  async dispose(): Promise<void> {
    await this.runner?.dispose()
  }

  /** Pauses with the reason; on resume the run goes on with what its runner has left. */
  private async workerLost(reason: string): Promise<void> {
    this.control.pause()
    this.events.state({ state: 'paused', reason })
    await this.control.pausedUntil
    if (this.control.stopRequested) return
    await this.runner!.recover()
    this.events.state({ state: 'running' })
  }

  private async finishEpoch(epoch: number): Promise<void> {
    const train = this.epochMeans.take()
    const val = await this.heldOut()
    this.runner!.syncModel(this.model)
    const { row, event } = epochReport({
      model: this.model,
      data: this.data,
      split: this.split,
      config: this.config,
      epoch,
      step: this.step,
      train,
      val
    })
    this.pendingRows.push(row)
    this.events.epoch(event)
  }

  /** The epoch's held-out terms; a lost worker pauses the run first (none if it is stopped meanwhile). */
  private async heldOut(): Promise<HeldOutTerms | null> {
    const batches = validationBatches(this.split, this.config, this.model.config.latentDim)
    while (batches.length > 0 && !this.control.stopRequested) {
      const val = await this.runner!.evaluate(batches, this.targetBeta)
      if (!('lost' in val)) return val
      await this.workerLost(val.lost)
    }
    return null
  }

  private async snapshot(): Promise<Checkpoint> {
    const { tensors, optimizer } = await this.runner!.snapshot()
    return {
      step: this.step,
      epoch: Math.floor(this.step / this.stepsPerEpoch),
      beta: effectiveBeta(this.targetBeta, this.config.warmup, this.step),
      targetBeta: this.targetBeta,
      rngState: this.draws.state,
      seeds: { split: this.config.seed, init: this.config.seed },
      tensors,
      optimizer,
      meta: this.runner!.meta
    }
  }

  /** Checkpoints, pausing the run while the disk refuses (see `disk-full-policy.ts`). */
  private save(): Promise<SaveOutcome> {
    return saveOrWait(() => this.checkpoint(), this.control, this.events, this.step)
  }

  /** A stopped run's state: what its last save could not keep, when it could not. */
  private stopped(saved: SaveOutcome): TrainState {
    if (saved.saved) return { state: 'stopped' }
    const kept = this.lastGood?.step ?? 0
    const lost = kept < this.step ? `; steps ${kept + 1}–${this.step} were not saved` : ''
    const keeps = kept > 0 ? `the project keeps its checkpoint at step ${kept}` : 'the project has no checkpoint of this run'
    return { state: 'stopped', reason: `could not save the last steps (${saved.lastError}): ${keeps}${lost}` }
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
    await this.runner!.load(checkpoint.tensors, checkpoint.optimizer)
    this.pendingRows = this.pendingRows.filter((r) => r.step <= checkpoint.step)
    this.step = checkpoint.step
    // The generator is deliberately not rewound: replaying the same noise would replay the NaN.
  }
}
