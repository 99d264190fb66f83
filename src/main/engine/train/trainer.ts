/**
 * The training loop: shuffled batches, a fixed validation split, live β, pause/resume/stop, a
 * NaN guard, checkpoints every N steps and each epoch, and events for the UI and CLI. Everything
 * random comes from seeds or from one generator whose state is checkpointed, so a run resumed from
 * a checkpoint takes exactly the steps the uninterrupted run would have taken.
 */
import * as tf from '../tf'
import type { TrainConfig } from '../../../shared/config'
import type { TrainEpoch, TrainNotice, TrainProgress, TrainState } from '../../../shared/events'
import type { RawImage } from '../../../shared/images'
import { tensorToRawImages } from '../image/raw-images'
import type { VaeModel } from '../model/vae-model'
import type { Checkpoint } from '../project/checkpoint-manifest'
import type { HistoryEntry, HistoryEpochRow, HistoryStepRow } from '../project/history-log'
import { Rng } from '../random/rng'
import { buildBatch, type DatasetPixels } from './batch-builder'
import { effectiveBeta } from './beta-schedule'
import { epochOrder, splitIndices, stepsPerEpoch, type DataSplit } from './data-split'
import { evaluate, trainStep } from './train-step'

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

const previewPairs = 8
const sampleGrid = 16
/** Rolled-back steps since the last checkpoint after which the run is declared diverged. */
const maxNanRollbacks = 3

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
  private pauseGate: { promise: Promise<void>; release: () => void } | null = null
  private stopRequested = false
  private lastGood: Checkpoint | null = null
  private pendingRows: HistoryEntry[] = []
  private stepTimeEma = 0
  private nanRollbacks = 0
  /** Running sums of this epoch's training terms, for the epoch summary. */
  private epochSums = { loss: 0, recon: 0, kl: 0, steps: 0 }

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
    let windowStart = performance.now()
    let windowImages = 0
    let imgPerSec = 0
    while (this.step < this.totalSteps) {
      const gate = this.pauseGate
      if (gate) {
        await this.saveOrWait()
        this.events.state({ state: 'paused' })
        await gate.promise
        if (!this.stopRequested) this.events.state({ state: 'running' })
        windowStart = performance.now()
        windowImages = 0
      }
      if (this.stopRequested) break
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
        this.nanRollbacks++
        if (this.nanRollbacks > maxNanRollbacks) {
          const reason = `training diverged: the loss was not a number ${this.nanRollbacks} times since the checkpoint at step ${this.lastGood!.step} (last at step ${failedStep}); lower the learning rate (now ${this.config.learningRate}) or β and resume`
          await this.restore(this.lastGood!)
          const state: TrainState = { state: 'failed', reason }
          this.events.state(state)
          return state
        }
        await this.restore(this.lastGood!)
        this.events.notice({
          step: failedStep,
          message: `step ${failedStep} gave a loss of ${result.loss}; restored the weights of step ${this.lastGood!.step} and carried on`
        })
        continue
      }
      this.step++
      const elapsed = performance.now() - started
      this.stepTimeEma = this.stepTimeEma === 0 ? elapsed : 0.9 * this.stepTimeEma + 0.1 * elapsed
      windowImages += indices.length
      const windowMs = performance.now() - windowStart
      if (windowMs > 1000 || imgPerSec === 0) {
        imgPerSec = (windowImages / windowMs) * 1000
        windowStart = performance.now()
        windowImages = 0
      }
      const row: HistoryStepRow = { step: this.step, epoch, loss: result.loss, recon: result.recon, kl: result.kl, beta, t: Date.now() }
      this.pendingRows.push(row)
      this.epochSums = {
        loss: this.epochSums.loss + result.loss,
        recon: this.epochSums.recon + result.recon,
        kl: this.epochSums.kl + result.kl,
        steps: this.epochSums.steps + 1
      }
      this.events.progress({
        ...row,
        totalSteps: this.totalSteps,
        stepsPerEpoch: this.stepsPerEpoch,
        targetBeta: this.targetBeta,
        imgPerSec,
        etaSec: ((this.totalSteps - this.step) * this.stepTimeEma) / 1000
      })
      const epochDone = this.step % this.stepsPerEpoch === 0
      if (epochDone) await this.finishEpoch(epoch)
      if (epochDone || this.step % this.config.checkpointEverySteps === 0) await this.saveOrWait()
      // Let requests (β, pause, decode) in between steps.
      await new Promise((resolve) => setImmediate(resolve))
    }
    await this.saveOrWait()
    const state: TrainState = this.stopRequested ? { state: 'stopped' } : { state: 'finished' }
    this.events.state(state)
    return state
  }

  setBeta(beta: number): void {
    this.targetBeta = beta
  }

  pause(): void {
    if (this.pauseGate) return
    let release!: () => void
    const promise = new Promise<void>((resolve) => (release = resolve))
    this.pauseGate = { promise, release }
  }

  resume(): void {
    const gate = this.pauseGate
    this.pauseGate = null
    gate?.release()
  }

  stop(): void {
    this.stopRequested = true
    this.resume()
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

  private async finishEpoch(epoch: number): Promise<void> {
    const { latentDim } = this.model.config
    const evalRng = new Rng(this.config.seed ^ 0x5eed)
    const batches = []
    for (let i = 0; i < this.split.val.length; i += this.config.batchSize) {
      const indices = this.split.val.slice(i, i + this.config.batchSize)
      const eps = new Float32Array(indices.length * latentDim).map(() => evalRng.normal())
      batches.push({ batch: buildBatch(this.data, indices), eps, size: indices.length })
    }
    const sums = this.epochSums
    this.epochSums = { loss: 0, recon: 0, kl: 0, steps: 0 }
    const mean = (key: 'loss' | 'recon' | 'kl'): number => sums[key] / Math.max(1, sums.steps)
    const val = batches.length > 0 ? evaluate({ model: this.model, batches, beta: this.targetBeta, recon: this.model.config.recon }) : null
    const klPerDim = val?.klPerDim ?? []
    const summary: HistoryEpochRow = {
      kind: 'epoch',
      epoch: epoch + 1,
      step: this.step,
      trainLoss: mean('loss'),
      trainRecon: mean('recon'),
      trainKl: mean('kl'),
      valLoss: val?.loss ?? NaN,
      valRecon: val?.recon ?? NaN,
      valKl: val?.kl ?? NaN,
      klPerDim,
      activeUnits: klPerDim.filter((v) => v > 0.01).length,
      t: Date.now()
    }
    this.pendingRows.push(summary)
    const { kind: _kind, t: _t, ...event } = summary
    this.events.epoch({ ...event, reconstructions: this.previewPairs(), samples: this.previewSamples() })
  }

  /** Original, reconstruction pairs of the first validation images (or training ones without a split). */
  private previewPairs(): RawImage[] {
    const pool = this.split.val.length > 0 ? this.split.val : this.split.train
    const indices = pool.slice(0, previewPairs)
    const { imageSize: size, channels } = this.model.config
    return tf.scoped(() => {
      const x = tf.tensor4d(buildBatch(this.data, indices), [indices.length, size, size, channels])
      const recon = this.model.decodeImages(this.model.encode(x).mu)
      const originals = tensorToRawImages(x)
      const reconstructions = tensorToRawImages(recon)
      return originals.flatMap((o, i) => [o, reconstructions[i]])
    })
  }

  private previewSamples(): RawImage[] {
    const rng = new Rng(this.config.seed ^ 0x5a3b1e)
    const z = new Float32Array(sampleGrid * this.model.config.latentDim).map(() => rng.normal())
    return tf.scoped(() => tensorToRawImages(this.model.decodeImages(tf.tensor2d(z, [sampleGrid, this.model.config.latentDim]))))
  }

  private async snapshot(): Promise<Checkpoint> {
    const weights = await this.optimizer.getWeights()
    const optimizerTensors = weights.map((w) => ({ name: w.name, shape: [...w.tensor.shape], data: Float32Array.from(w.tensor.dataSync()) }))
    const iterations = weights.find((w) => w.name === 'iter')?.tensor.dataSync()[0] ?? 0
    // getWeights hands out Adam's live slot variables; only the iteration count is a fresh tensor.
    tf.dispose(weights.filter((w) => w.name === 'iter').map((w) => w.tensor))
    return {
      step: this.step,
      epoch: Math.floor(this.step / this.stepsPerEpoch),
      beta: effectiveBeta(this.targetBeta, this.config.warmup, this.step),
      targetBeta: this.targetBeta,
      rngState: this.rng.state,
      seeds: { split: this.config.seed, init: this.config.seed },
      tensors: this.model.weightArrays(),
      optimizer: { name: 'adam', iterations, tensors: optimizerTensors }
    }
  }

  /**
   * Saves, and when the disk refuses (full, read-only, gone) pauses with the reason instead of
   * failing: what is already saved stays intact, and resuming retries the save.
   */
  private async saveOrWait(): Promise<void> {
    for (;;) {
      try {
        await this.checkpoint()
        return
      } catch (err) {
        if (this.stopRequested) return
        const reason = `could not save to the project folder (${err instanceof Error ? err.message : String(err)}); free some space or fix its permissions, then resume`
        this.pause()
        this.events.state({ state: 'paused', reason })
        await this.pauseGate?.promise
        if (this.stopRequested) return
        this.events.state({ state: 'running' })
      }
    }
  }

  private async checkpoint(): Promise<void> {
    if (this.lastGood?.step === this.step && this.pendingRows.length === 0) return
    const snapshot = await this.snapshot()
    // History first: a checkpoint must never be newer than the history describing it.
    await this.store.appendHistory(this.pendingRows)
    this.pendingRows = []
    await this.store.saveCheckpoint(snapshot)
    this.lastGood = snapshot
    this.nanRollbacks = 0
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
    const named = state.tensors.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape) }))
    // setWeights copies into its own variables; the inputs stay ours to free.
    await this.optimizer.setWeights(named)
    tf.dispose(named.map((n) => n.tensor))
  }
}
