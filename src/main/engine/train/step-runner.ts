/**
 * Where a run's arithmetic happens, so the training loop reads the same whichever it is: here on
 * the engine's thread (`LocalStepRunner`: the model trained in place, tfjs's Adam), or on worker
 * threads (`parallel/parallel-step-runner.ts`: every core, the engine thread left free).
 */
import * as tf from '../tf'
import type { VaeModel } from '../model/vae-model'
import type { Checkpoint, NamedArray } from '../project/checkpoint-manifest'
import { buildBatch, type DatasetPixels } from './batch-builder'
import { loadOptimizerState, optimizerState } from './optimizer-state'
import { evaluate, trainStep, type StepResult } from './train-step'

/** One step's draws: rows of the batch, their flips, the reparameterisation noise, the step's β. */
export interface StepRequest {
  rows: number[]
  flips?: boolean[]
  eps: Float32Array
  beta: number
}

export interface HeldOutTerms {
  loss: number
  recon: number
  kl: number
  klPerDim: number[]
}

export interface StepRunner {
  step(request: StepRequest): Promise<StepResult>
  /** Loss terms over fixed batches of held-out rows (each with its own fixed noise). */
  evaluate(batches: Array<{ rows: number[]; eps: Float32Array }>, beta: number): Promise<HeldOutTerms>
  /** Weights and optimizer state, as a checkpoint keeps them. */
  snapshot(): Promise<{ tensors: NamedArray[]; optimizer: Checkpoint['optimizer'] }>
  /** Back to a checkpoint's weights and optimizer state (resume, NaN rollback). */
  load(tensors: NamedArray[], optimizer: Checkpoint['optimizer']): Promise<void>
  /** Brings the engine thread's model up to the latest weights (previews, decodes during the run); never waits for a step. */
  syncModel(model: VaeModel): void
  /** Checkpoint fields this runner needs back on resume. */
  readonly meta: Record<string, unknown>
  dispose(): Promise<void>
}

export class LocalStepRunner implements StepRunner {
  readonly meta = {}
  private optimizer: tf.Optimizer

  constructor(
    private readonly model: VaeModel,
    private readonly data: DatasetPixels,
    private readonly learningRate: number
  ) {
    this.optimizer = tf.train.adam(learningRate)
  }

  async step({ rows, flips, eps, beta }: StepRequest): Promise<StepResult> {
    const batch = buildBatch(this.data, rows, flips)
    const result = trainStep({
      model: this.model,
      optimizer: this.optimizer,
      batch,
      eps,
      batchSize: rows.length,
      beta,
      recon: this.model.config.recon
    })
    // Let requests (β, pause, decode) in between steps.
    await new Promise((resolve) => setImmediate(resolve))
    return result
  }

  async evaluate(batches: Array<{ rows: number[]; eps: Float32Array }>, beta: number): Promise<HeldOutTerms> {
    const built = batches.map(({ rows, eps }) => ({ batch: buildBatch(this.data, rows), eps, size: rows.length }))
    return evaluate({ model: this.model, batches: built, beta, recon: this.model.config.recon })
  }

  async snapshot(): Promise<{ tensors: NamedArray[]; optimizer: Checkpoint['optimizer'] }> {
    return { tensors: this.model.weightArrays(), optimizer: await optimizerState(this.optimizer) }
  }

  async load(tensors: NamedArray[], optimizer: Checkpoint['optimizer']): Promise<void> {
    this.model.loadWeightArrays(tensors)
    if (optimizer.tensors.length === 0) return
    this.optimizer.dispose()
    this.optimizer = tf.train.adam(this.learningRate)
    await loadOptimizerState(this.optimizer, optimizer)
  }

  /** The model is trained in place: it is always up to date. */
  syncModel(): void {}

  async dispose(): Promise<void> {
    this.optimizer.dispose()
  }
}
