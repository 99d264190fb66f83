/**
 * The sharpen option on worker threads: the discriminator's weights and Adam live in the shared
 * layout after the VAE's, each shard returns both gradient sets, and the shards sum to the batch's
 * exactly as without it. Checked against the engine thread's objective, to the bit with one shard.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../../tf'
import { initialGaussianVariance } from '../../model/losses'
import { PatchDiscriminator, initialDiscriminator } from '../../model/patch-discriminator'
import { VaeModel } from '../../model/vae-model'
import { Rng } from '../../random/rng'
import { smallDataset, smallModel, useWasm } from '../../../../../test/support/small-setup'
import { buildBatch } from '../batch-builder'
import type { LostWorker, StepRequest, StepResult } from '../step-runner'
import { objectiveGradients } from '../vae-objective'
import { ParallelTrainer } from './parallel-trainer'

const data = smallDataset(48)
const model = { ...smallModel, recon: 'gaussian' as const }
const { latentDim } = model

function request(rng: Rng, batchSize: number, adversaryWeight?: number): StepRequest {
  const rows = Array.from({ length: batchSize }, () => rng.int(data.count))
  const eps = new Float32Array(batchSize * latentDim).map(() => rng.normal())
  return { rows, eps, beta: 1, noiseVariance: 0.02, adversaryWeight }
}

function done(answer: StepResult | LostWorker): StepResult {
  if ('lost' in answer) throw new Error(`unexpected: ${answer.lost}`)
  return answer
}

describe('sharpening on worker threads', () => {
  const trainers: ParallelTrainer[] = []
  const start = async (workers: number, shards = workers) => {
    const trainer = await ParallelTrainer.start({
      model,
      data,
      learningRate: 1e-3,
      initial: { tensors: new VaeModel(model, 1).weightArrays(), discriminator: { tensors: initialDiscriminator(3, 9), steps: 0 } },
      workers,
      shards
    })
    trainers.push(trainer)
    return trainer
  }

  beforeAll(useWasm)
  afterEach(async () => {
    await Promise.all(trainers.splice(0).map((t) => t.dispose()))
  })

  it('sums the shards’ gradients of the VAE and the discriminator into the whole batch’s (1 shard: the engine thread’s to the bit)', async () => {
    const r = request(new Rng(3), 15, 0.7)
    const vae = new VaeModel(model, 1)
    const critic = new PatchDiscriminator(3)
    critic.load(initialDiscriminator(3, 9))
    const reference = objectiveGradients(vae, buildBatch(data, r.rows), r.eps, 15, r, 1, { discriminator: critic, weight: 0.7 })
    const expected = [...vae.trainableVariables, ...critic.variables].flatMap((v) => Array.from(reference.grads[v.name].dataSync()))
    tf.dispose(reference.grads)
    expect(reference.terms[4]).toBeGreaterThan(0)

    const results: Record<string, { gradient: Float32Array; result: StepResult }> = {}
    for (const [workers, shards] of [
      [1, 1],
      [2, 2],
      [2, 3]
    ]) {
      const trainer = await start(workers, shards)
      const result = done(await trainer.step(r))
      results[`${workers}/${shards}`] = { gradient: trainer.lastGradient(), result }
    }
    expect(Array.from(results['1/1'].gradient)).toEqual(expected)
    const [, , , , discriminatorLoss, reconSq, adversarialSq] = reference.terms
    expect(results['1/1'].result).toMatchObject({ discriminatorLoss, reconGradientSq: reconSq, adversarialGradientSq: adversarialSq })
    for (const key of ['2/2', '2/3']) {
      const { gradient, result } = results[key]
      let diff = 0
      let scale = 0
      gradient.forEach((g, i) => {
        diff = Math.max(diff, Math.abs(g - expected[i]))
        scale = Math.max(scale, Math.abs(expected[i]))
      })
      expect(diff / scale, key).toBeLessThan(1e-5)
      // The squared gradient norms add over shards: each image's logits live in one.
      expect(result.reconGradientSq / reconSq, key).toBeCloseTo(1, 4)
      expect(result.adversarialGradientSq / adversarialSq, key).toBeCloseTo(1, 4)
      expect(result.discriminatorLoss, key).toBeCloseTo(discriminatorLoss, 5)
    }
    critic.dispose()
    vae.dispose()
  })

  it('trains the discriminator only on steps that carry an adversarial weight, with its own Adam steps', async () => {
    const trainer = await start(2)
    const rng = new Rng(4)
    const before = { tensors: trainer.snapshot().discriminator!.tensors.slice(0, 6) }
    done(await trainer.step(request(rng, 16)))
    const idle = trainer.snapshot()
    expect(idle.discriminator!.steps).toBe(0)
    expect(idle.discriminator!.tensors.slice(0, 6)).toEqual(before.tensors)
    expect(idle.optimizer.iterations).toBe(1)
    done(await trainer.step(request(rng, 16, 0.5)))
    done(await trainer.step(request(rng, 16, 0.5)))
    const trained = trainer.snapshot()
    expect(trained.discriminator!.steps).toBe(2)
    expect(trained.optimizer.iterations).toBe(3)
    expect(trained.discriminator!.tensors[0].data).not.toEqual(before.tensors[0].data)
    // Weights, then m and v of each: what a checkpoint keeps to resume exactly.
    expect(trained.discriminator!.tensors.map((t) => t.name)).toEqual([
      ...before.tensors.map((t) => t.name),
      ...before.tensors.map((t) => `${t.name}/m`),
      ...before.tensors.map((t) => `${t.name}/v`)
    ])
  })

  it('leaks no tensors in the workers while sharpening', async () => {
    const trainer = await start(2)
    const rng = new Rng(1)
    done(await trainer.step(request(rng, 16, 0.5)))
    const before = await trainer.memory()
    for (let i = 0; i < 3; i++) done(await trainer.step(request(rng, 16, 0.5)))
    done(await trainer.step(request(rng, 16)))
    await trainer.evaluate([{ rows: [1, 2, 3], eps: new Float32Array(3 * latentDim) }], { beta: 1, noiseVariance: initialGaussianVariance })
    const after = await trainer.memory()
    expect(after).toEqual(before)
    // The model's variables and the discriminator's six.
    for (const m of after) expect(m.numTensors).toBe(new VaeModel(model, 1).weightArrays().length + 6)
  })
})
