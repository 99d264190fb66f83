/**
 * The training loop: shuffled batches, a fixed validation split, live β, pause/resume/stop, a
 * NaN guard, checkpoints (see `checkpoint-schedule.ts`), and events for the UI and CLI. A run
 * lasts as long as its length says (steps, minutes or epochs, in all: see shared/run-length.ts);
 * progress counts images seen, so an epoch is an epoch whatever the batch size. Everything
 * random comes from seeds or from one generator whose state is checkpointed, so a run resumed from
 * a checkpoint takes exactly the steps the uninterrupted run would have taken. The arithmetic runs
 * on the engine's thread or, with `workers`, on worker threads (see step-runner.ts); a runner that
 * loses a worker says so in its answer, and the run pauses with the reason.
 */
import type { TrainConfig } from '../../../shared/config'
import { epochsDone, isReached, runTarget, type Pace, type RunPosition, type RunShape, type RunTarget } from '../../../shared/run-length'
import type { TrainEpoch, TrainNotice, TrainProgress, TrainState } from '../../../shared/events'
import { initialGaussianVariance, minGaussianVariance } from '../model/losses'
import type { VaeModel } from '../model/vae-model'
import type { Checkpoint } from '../project/checkpoint-manifest'
import type { HistoryEntry, HistoryStepRow } from '../project/history-log'
import type { DatasetPixels } from './batch-builder'
import { effectiveBeta } from './beta-schedule'
import { isCheckpointStep } from './checkpoint-schedule'
import { imagesSeenOf, splitIndices, type DataSplit } from './data-split'
import { saveOrWait, type SaveOutcome } from './disk-full-policy'
import { EpochMeans, epochReport, validationBatches } from './epoch-report'
import { NanGuard } from './nan-guard'
import type { ParallelTrainerOptions } from './parallel/parallel-trainer'
import { progressFigures } from './progress-figures'
import { RunClock } from './run-clock'
import { RunControl } from './run-control'
import { alreadyTrained, stoppedState } from './run-end'
import { Sharpener, discriminatorIn, startingDiscriminator } from './sharpen'
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
  private readonly shape: RunShape
  private readonly target: RunTarget
  /** Started by `run()`: on worker threads with `workers`, else on this thread. */
  private runner: StepRunner | null = null
  private step: number
  private imagesSeen: number
  /** Training time in all; it follows the run's state (see `run-clock.ts`). */
  private readonly clock: RunClock
  private readonly meter = new ThroughputMeter()
  private targetBeta: number
  /** The calibrated Gaussian's σ² for the next step: the last step's whole-batch squared error, whatever the shards. */
  private noiseVariance: number
  private readonly control = new RunControl()
  private lastGood: Checkpoint | null = null
  private pendingRows: HistoryEntry[] = []
  private readonly draws: StepDraws
  private readonly nanGuard = new NanGuard()
  private sharpener: Sharpener
  private readonly epochMeans = new EpochMeans()

  constructor(private readonly options: TrainerOptions) {
    this.model = options.model
    this.config = options.config
    this.data = options.data
    this.store = options.store
    const resume = options.resumeFrom
    this.clock = new RunClock(resume?.trainedSec ?? 0)
    this.events = {
      ...options.events,
      state: (s) => {
        this.clock.follow(s)
        options.events.state(s)
      }
    }
    this.split = splitIndices(this.data.count, this.config.valFraction, this.config.seed)
    this.shape = { trainImages: this.split.train.length, batchSize: this.config.batchSize }
    this.target = runTarget(this.config.length, this.shape)
    this.draws = new StepDraws(this.split, this.config, this.model.config.latentDim, resume?.rngState)
    this.step = resume?.step ?? 0
    this.imagesSeen = resume ? imagesSeenOf(resume, this.shape) : 0
    // The configured β wins over the checkpoint's: the user may have moved the slider since.
    this.targetBeta = this.config.beta
    this.noiseVariance = resume?.noiseVariance ?? initialGaussianVariance
    this.sharpener = new Sharpener(this.config, resume?.sharpen)
  }

  get currentStep(): number {
    return this.step
  }

  /** Where the run stands: steps, images seen, seconds trained. */
  get position(): RunPosition {
    return { step: this.step, imagesSeen: this.imagesSeen, trainedSec: this.clock.seconds }
  }

  /** The pace measured so far in this run; null before its first second. */
  get pace(): Pace | null {
    const pace = this.meter.pace
    return pace && { ...pace, source: 'run' }
  }

  get beta(): number {
    return this.targetBeta
  }

  /** Runs until the run's length is reached, or stop() is called. Resolves with the final state. */
  async run(): Promise<TrainState> {
    const resume = this.options.resumeFrom ?? null
    const runner = (this.runner = await (this.options.startRunner ?? startRunner)({
      model: this.model,
      data: this.data,
      learningRate: this.config.learningRate,
      resume,
      workers: this.options.workers,
      discriminator: this.sharpener.configured ? startingDiscriminator(resume, this.model.config.channels, this.config.seed) : undefined,
      startWorker: this.options.startWorker,
      watchdog: this.options.watchdog
    }))
    // A checkpoint without the discriminator this run added cannot be rolled back to: snapshot instead.
    this.lastGood = resume && (resume.sharpen || !this.sharpener.configured) ? resume : await this.snapshot()
    if (isReached(this.target, this.position)) {
      const state: TrainState = { state: 'finished', reason: alreadyTrained(this.config.length, this.shape) }
      this.events.state(state)
      return state
    }
    this.events.state({ state: 'running' })
    const meter = this.meter
    while (!isReached(this.target, this.position)) {
      const pausedUntil = this.control.pausedUntil
      if (pausedUntil) {
        await this.save()
        this.events.state({ state: 'paused' })
        await pausedUntil
        if (!this.control.stopRequested) this.events.state({ state: 'running' })
        meter.restartWindow()
      }
      if (this.control.stopRequested) break
      const epoch = epochsDone(this.imagesSeen, this.shape.trainImages)
      const beta = effectiveBeta(this.targetBeta, this.config.warmup, this.step)
      const adversaryWeight = this.sharpener.weightFor(this.step)
      const request = { ...this.draws.next(this.step, this.imagesSeen), beta, noiseVariance: this.noiseVariance, adversaryWeight }
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
      this.imagesSeen += indices.length
      this.noiseVariance = Math.max(result.squaredError, minGaussianVariance)
      const sharpening = this.sharpener.record(this.step, adversaryWeight, result)
      if (sharpening) this.events.notice({ step: this.step, message: sharpening })
      meter.recordStep(indices.length)
      const row: HistoryStepRow = { step: this.step, epoch, loss: result.loss, recon: result.recon, kl: result.kl, beta, t: Date.now() }
      this.pendingRows.push(row)
      this.epochMeans.add(result)
      const standing = { length: this.config.length, target: this.target, shape: this.shape, at: this.position, pace: this.pace }
      this.events.progress({ ...row, ...progressFigures({ ...standing, meter, targetBeta: this.targetBeta }) })
      if (this.imagesSeen % this.shape.trainImages === 0) await this.finishEpoch(epoch)
      if (isCheckpointStep(this.step, this.config.checkpointEverySteps)) await this.save()
    }
    runner.syncModel(this.model)
    const saved = await this.save()
    const state: TrainState = this.control.stopRequested ? stoppedState(saved, this.lastGood?.step ?? 0, this.step) : { state: 'finished' }
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
      const val = await this.runner!.evaluate(batches, { beta: this.targetBeta, noiseVariance: this.noiseVariance })
      if (!('lost' in val)) return val
      await this.workerLost(val.lost)
    }
    return null
  }

  private async snapshot(): Promise<Checkpoint> {
    const { tensors, optimizer, discriminator } = await this.runner!.snapshot()
    const sharpen = discriminator && { ...this.sharpener.state, discriminatorSteps: discriminator.steps, tensors: discriminator.tensors }
    return {
      step: this.step,
      epoch: epochsDone(this.imagesSeen, this.shape.trainImages),
      imagesSeen: this.imagesSeen,
      trainedSec: this.clock.seconds,
      beta: effectiveBeta(this.targetBeta, this.config.warmup, this.step),
      targetBeta: this.targetBeta,
      noiseVariance: this.noiseVariance,
      rngState: this.draws.state,
      seeds: { split: this.config.seed, init: this.config.seed },
      tensors,
      optimizer,
      meta: this.runner!.meta,
      ...(sharpen ? { sharpen } : {})
    }
  }

  /** Checkpoints, pausing the run while the disk refuses (see `disk-full-policy.ts`). */
  private save(): Promise<SaveOutcome> {
    return saveOrWait(() => this.checkpoint(), this.control, this.events, this.step)
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
    await this.runner!.load({ ...checkpoint, discriminator: discriminatorIn(checkpoint) })
    this.sharpener = new Sharpener(this.config, checkpoint.sharpen)
    this.pendingRows = this.pendingRows.filter((r) => r.step <= checkpoint.step)
    this.step = checkpoint.step
    this.imagesSeen = imagesSeenOf(checkpoint, this.shape)
    this.noiseVariance = checkpoint.noiseVariance ?? initialGaussianVariance
    // The generator is deliberately not rewound: replaying the same noise would replay the NaN.
  }
}
