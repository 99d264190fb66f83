/**
 * The training loop's `StepRunner` on worker threads (see README.md): every core computes its
 * shards' gradients, Adam runs in shared memory, and the engine thread only posts each step's
 * draws and awaits the reply, so it serves requests while the model learns.
 */
import type { VaeModel } from '../../model/vae-model'
import type { Checkpoint, NamedArray } from '../../project/checkpoint-manifest'
import type { HeldOutTerms, StepRequest, StepRunner } from '../step-runner'
import type { StepResult } from '../train-step'
import { ParallelTrainer, type ParallelTrainerOptions } from './parallel-trainer'

export type ParallelStepRunnerOptions = Pick<
  ParallelTrainerOptions,
  'model' | 'data' | 'learningRate' | 'initial' | 'startWorker' | 'watchdog'
> & {
  workers: number
  shards: number
}

export class ParallelStepRunner implements StepRunner {
  private constructor(private readonly parallel: ParallelTrainer) {}

  /**
   * @param shards fixed for a run (kept in its checkpoints): the numbers depend on it, not on how
   *   many workers share the shards, so a run resumed elsewhere is the same run.
   */
  static async start(options: ParallelStepRunnerOptions): Promise<ParallelStepRunner> {
    return new ParallelStepRunner(await ParallelTrainer.start(options))
  }

  get meta(): Record<string, unknown> {
    return { shards: this.parallel.shards }
  }

  get workers(): number {
    return this.parallel.workers
  }

  async step(request: StepRequest): Promise<StepResult> {
    const { loss, recon, kl, applied } = await this.parallel.step(request)
    return { loss, recon, kl, applied }
  }

  evaluate(batches: Array<{ rows: number[]; eps: Float32Array }>, beta: number): Promise<HeldOutTerms> {
    return this.parallel.evaluate(batches, beta)
  }

  async snapshot(): Promise<{ tensors: NamedArray[]; optimizer: Checkpoint['optimizer'] }> {
    return this.parallel.snapshot()
  }

  async load(tensors: NamedArray[], optimizer: Checkpoint['optimizer']): Promise<void> {
    this.parallel.load(tensors, optimizer.tensors.length > 0 ? optimizer : undefined)
  }

  syncModel(model: VaeModel): void {
    this.parallel.syncModel(model)
  }

  /** After a lost worker: the run goes on with the survivors (or fresh workers up to `workers`). */
  recover(workers?: number): Promise<void> {
    return this.parallel.recover(workers === undefined ? {} : { workers })
  }

  dispose(): Promise<void> {
    return this.parallel.dispose()
  }
}
