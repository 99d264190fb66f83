/** Messages between the engine thread (coordinator) and its training worker threads. */
import type { ModelConfig } from '../../../../shared/config'
import type { BatchTerms } from '../held-out'
import type { StepTerms } from '../vae-objective'
import type { AdamConfig } from './adam'
import type { ParamLayout, SharedBuffers } from './shared-state'

export interface WorkerInit {
  rank: number
  model: ModelConfig
  layout: ParamLayout
  shared: SharedBuffers
  dataset: { size: number; channels: 1 | 3 }
  adam: AdamConfig
  /** The discriminator's Adam, when the layout has one (see `ParamLayout.discriminatorFrom`). */
  discriminatorAdam: AdamConfig
  /** Linux nice value for the worker thread (0: unchanged). */
  niceness: number
}

/** Where one worker's step went, in ms of wall time. */
export interface StepTimings {
  /** Copying a newly published version from shared memory into the wasm variables. */
  load: number
  /** uint8 rows → float batch (with flips). */
  batch: number
  /** Forward and backward passes (of every shard of this worker). */
  compute: number
  /** Gradients out of wasm memory into the shared slot. */
  copy: number
  /** Waiting for the other workers' gradients. */
  waitGradients: number
  /** Summing the slots over this worker's range and Adam on it. */
  reduceAdam: number
  /** Waiting for the other workers' ranges. */
  waitUpdate: number
  /** CPU time (not wall) of load + batch + compute + copy, and of reduceAdam: immune to a busy machine. */
  computeCpu: number
  reduceAdamCpu: number
  /** Thread CPU time over the step (ns, /proc/thread-self/schedstat) and time runnable but not running. */
  cpuNs: number
  runQueueNs: number
}

export type ToTrainWorker =
  /** A new rank (after a worker was lost); takes effect at the next step. */
  | { type: 'configure'; id: number; rank: number }
  | {
      type: 'step'
      id: number
      workers: number
      /** Shards in the run (fixed for the run: it decides the summation order). */
      shards: number
      /** This worker's shards: dataset rows, their flips and ε rows ([rows, latentDim]). */
      mine: ShardWork[]
      /** The whole batch's size: a shard's loss is weighted by its rows / batchSize. */
      batchSize: number
      beta: number
      /** The calibrated Gaussian's σ² for this step (see `reconPerImage`). */
      noiseVariance: number
      /** The sharpen term's λ this step, and the discriminator trains with it; null: neither. */
      adversaryWeight: number | null
    }
  /** Held-out terms of some validation batches, at the published weights. */
  | { type: 'evaluate'; id: number; noiseVariance: number; batches: Array<{ index: number; rows: readonly number[]; eps: Float32Array }> }
  | { type: 'memory'; id: number }
  | { type: 'close' }

export interface ShardWork {
  shard: number
  rows: number[]
  flips: boolean[] | null
  eps: Float32Array
}

export type FromTrainWorker =
  | { type: 'ready'; rank: number; backend: string }
  | { type: 'configured'; id: number }
  | {
      type: 'stepped'
      id: number
      rank: number
      /** The whole batch's terms (every worker computes the same sums). */
      terms: StepTerms
      applied: boolean
      timings: StepTimings
    }
  /** Left the step at a barrier because the run was aborted. */
  | { type: 'aborted'; id: number; rank: number }
  | { type: 'evaluated'; id: number; batches: BatchTerms[] }
  | { type: 'memory'; id: number; numTensors: number; numDataIds: number }
  | { type: 'failed'; id: number; rank: number; message: string }
