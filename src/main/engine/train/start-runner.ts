/**
 * The runner a run's steps go to: on worker threads when the run asks for them (wasm: the only
 * way it uses more than one core), else on the engine's thread. A resumed run gets its
 * checkpoint's weights and Adam state, and on workers its shard count, so it is the same run
 * whatever the thread count.
 */
import type { VaeModel } from '../model/vae-model'
import type { Checkpoint } from '../project/checkpoint-manifest'
import type { DatasetPixels } from './batch-builder'
import { sharpenNeedsWorkers } from '../../../shared/model-choices'
import { LocalStepRunner } from './local-step-runner'
import { ParallelTrainer, type ParallelTrainerOptions } from './parallel/parallel-trainer'
import type { DiscriminatorState, StepRunner } from './step-runner'

export interface RunnerOptions {
  /** Trained in place on the engine thread; its config and weights seed the workers. */
  model: VaeModel
  data: DatasetPixels
  learningRate: number
  resume: Checkpoint | null
  /** Worker threads; absent or 0: the engine thread. */
  workers?: number
  /** The discriminator a sharpening run starts from (the checkpoint's, or a fresh one); absent: the run does not sharpen. */
  discriminator?: DiscriminatorState
  startWorker?: ParallelTrainerOptions['startWorker']
  watchdog?: ParallelTrainerOptions['watchdog']
}

export async function startRunner(options: RunnerOptions): Promise<StepRunner> {
  const { model, data, learningRate, resume, workers } = options
  if (!workers) {
    if (options.discriminator) throw new Error(sharpenNeedsWorkers)
    const local = new LocalStepRunner(model, data, learningRate)
    if (resume) await local.load(resume)
    return local
  }
  // Into the engine thread's model first: a checkpoint that does not fit the model is refused
  // here with the tensor at fault, before any worker starts, and the model shows the run's weights.
  if (resume) model.loadWeightArrays(resume.tensors)
  return ParallelTrainer.start({
    model: model.config,
    data,
    learningRate,
    initial: {
      ...(resume
        ? { tensors: resume.tensors, optimizer: resume.optimizer.tensors.length > 0 ? resume.optimizer : undefined }
        : { tensors: model.weightArrays() }),
      discriminator: options.discriminator
    },
    workers,
    shards: typeof resume?.meta?.shards === 'number' ? resume.meta.shards : workers,
    startWorker: options.startWorker,
    watchdog: options.watchdog
  })
}
