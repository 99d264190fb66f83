/**
 * Where a run's arithmetic happens, so the training loop reads the same whichever it is: on the
 * engine's thread (`LocalStepRunner`: the model trained in place, tfjs's Adam) or on worker
 * threads (`parallel/parallel-trainer.ts`: every core, the engine thread left free).
 *
 * A runner on worker threads can lose one (it died, or hung and was stopped): a step or an
 * evaluation then answers `LostWorker` instead of its result, having changed nothing, and
 * `recover()` lets the run go on with what is left. A runner that cannot lose anything never
 * answers so, and its `recover()` has nothing to do; the loop treats both alike.
 */
import type { VaeModel } from '../model/vae-model'
import type { Checkpoint, NamedArray } from '../project/checkpoint-manifest'
import type { ObjectiveWeights } from './vae-objective'

/** One step's draws (rows of the batch, their flips, the reparameterisation noise) and its weights (β, σ²). */
export interface StepRequest extends ObjectiveWeights {
  rows: readonly number[]
  flips?: readonly boolean[]
  /** ε for the whole batch, [rows, latentDim] row-major. */
  eps: Float32Array
  /** The sharpen term's λ this step, with the discriminator training beside it (see sharpen.ts); absent: neither. */
  adversaryWeight?: number
}

/** What one step gave: the batch means of its terms; `applied` false when they were not finite and nothing changed. */
export interface StepResult {
  loss: number
  recon: number
  kl: number
  /** Mean squared error per pixel: the calibrated Gaussian's σ² for the next step. */
  squaredError: number
  /** With an adversary: the discriminator's hinge loss and the two squared gradient norms that set the next λ (see `StepTerms`). */
  discriminatorLoss: number
  reconGradientSq: number
  adversarialGradientSq: number
  applied: boolean
}

/** A batch of held-out rows and its fixed noise (so epochs compare like with like). */
export interface HeldOutBatch {
  rows: readonly number[]
  eps: Float32Array
}

/** Loss terms over held-out batches (means per image), KL also per latent dimension. */
export interface HeldOutTerms {
  loss: number
  recon: number
  kl: number
  klPerDim: number[]
}

/** A worker thread was lost before the request landed: the state is as before it. */
export interface LostWorker {
  lost: string
}

/** The sharpen option's discriminator: its weights, then Adam's m and v of each (absent: a fresh Adam), and its Adam steps. */
export interface DiscriminatorState {
  tensors: NamedArray[]
  steps: number
}

/** Weights and optimizer state, as a checkpoint keeps them. */
export interface RunnerState {
  tensors: NamedArray[]
  optimizer: Checkpoint['optimizer']
  /** When the run sharpens. */
  discriminator?: DiscriminatorState
}

export interface StepRunner {
  step(request: StepRequest): Promise<StepResult | LostWorker>
  /** Loss terms over fixed batches of held-out rows (each with its own fixed noise). */
  evaluate(batches: readonly HeldOutBatch[], weights: ObjectiveWeights): Promise<HeldOutTerms | LostWorker>
  /** After a `LostWorker`: goes on with what is left; the request that failed can then be taken again. */
  recover(): Promise<void>
  snapshot(): RunnerState | Promise<RunnerState>
  /** Back to a checkpoint's weights and optimizer state (resume, NaN rollback). */
  load(state: RunnerState): void | Promise<void>
  /** Brings the engine thread's model up to the latest weights (previews, decodes during the run); never waits for a step. */
  syncModel(model: VaeModel): void
  /** Checkpoint fields this runner needs back on resume. */
  readonly meta: Record<string, unknown>
  dispose(): Promise<void>
}
