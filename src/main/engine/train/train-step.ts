/**
 * One optimisation step on the engine thread. Gradients are computed first and applied only when
 * the loss is finite, so a NaN/Inf step never reaches the weights.
 */
import * as tf from '../tf'
import type { VaeModel } from '../model/vae-model'
import type { StepResult } from './step-runner'
import { objectiveGradients, type ObjectiveWeights } from './vae-objective'

export function trainStep(
  args: ObjectiveWeights & {
    model: VaeModel
    optimizer: tf.Optimizer
    batch: Float32Array
    eps: Float32Array
    batchSize: number
  }
): StepResult {
  const { beta, noiseVariance } = args
  const { terms, grads } = objectiveGradients(args.model, args.batch, args.eps, args.batchSize, { beta, noiseVariance })
  const [loss, recon, kl, squaredError, discriminatorLoss, reconGradientSq, adversarialGradientSq] = terms
  const applied = terms.every(Number.isFinite)
  if (applied) args.optimizer.applyGradients(grads)
  tf.dispose(grads)
  return { loss, recon, kl, squaredError, discriminatorLoss, reconGradientSq, adversarialGradientSq, applied }
}
