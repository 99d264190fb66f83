/**
 * The training loop's `StepRunner` on the engine's own thread: the model trained in place with
 * tfjs's Adam. What tfjs-node and the cpu backend use (tfjs-node already uses every core).
 */
import { sharpenNeedsWorkers } from '../../../shared/model-choices'
import * as tf from '../tf'
import type { VaeModel } from '../model/vae-model'
import { buildBatch, type DatasetPixels } from './batch-builder'
import { loadOptimizerState, optimizerState } from './optimizer-state'
import type { HeldOutBatch, HeldOutTerms, RunnerState, StepRequest, StepResult, StepRunner } from './step-runner'
import { evaluate } from './held-out'
import { trainStep } from './train-step'
import type { ObjectiveWeights } from './vae-objective'

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

  async step({ rows, flips, eps, beta, noiseVariance, adversaryWeight }: StepRequest): Promise<StepResult> {
    if (adversaryWeight !== undefined) throw new Error(sharpenNeedsWorkers)
    const batch = buildBatch(this.data, rows, flips)
    const result = trainStep({
      model: this.model,
      optimizer: this.optimizer,
      batch,
      eps,
      batchSize: rows.length,
      beta,
      noiseVariance
    })
    // Let requests (β, pause, decode) in between steps.
    await new Promise((resolve) => setImmediate(resolve))
    return result
  }

  async evaluate(batches: readonly HeldOutBatch[], weights: ObjectiveWeights): Promise<HeldOutTerms> {
    const built = batches.map(({ rows, eps }) => ({ batch: buildBatch(this.data, rows), eps, size: rows.length }))
    return evaluate({ model: this.model, batches: built, ...weights })
  }

  /** Nothing here can be lost. */
  async recover(): Promise<void> {}

  async snapshot(): Promise<RunnerState> {
    return { tensors: this.model.weightArrays(), optimizer: await optimizerState(this.optimizer) }
  }

  async load({ tensors, optimizer }: RunnerState): Promise<void> {
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
