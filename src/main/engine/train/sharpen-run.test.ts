/**
 * The sharpen option through the training loop: a run that destabilises is backed off and then
 * stopped by the guard, saying so; a run that cannot sharpen says why before it starts; a run
 * resumed from a checkpoint without a discriminator gets a fresh one.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainNotice } from '../../../shared/events'
import { VaeModel } from '../model/vae-model'
import type { Checkpoint } from '../project/checkpoint-manifest'
import { smallDataset, smallModel, smallTrain, useWasm } from '../../../../test/support/small-setup'
import { sharpenNeedsWorkers } from '../../../shared/model-choices'
import { Trainer, type TrainerOptions } from './trainer'

const model = { ...smallModel, recon: 'gaussian' as const }
const data = smallDataset(48)

function run(config: TrainerOptions['config'], options: Partial<TrainerOptions> = {}) {
  const checkpoints: Checkpoint[] = []
  const notices: TrainNotice[] = []
  const vae = new VaeModel(model, 1)
  const trainer = new Trainer({
    model: vae,
    config,
    data,
    workers: 2,
    store: { saveCheckpoint: async (c) => void checkpoints.push(c), appendHistory: async () => undefined },
    events: { progress: () => undefined, epoch: () => undefined, state: () => undefined, notice: (n) => notices.push(n) },
    ...options
  })
  const done = trainer.run().finally(async () => {
    await trainer.dispose()
    vae.dispose()
  })
  return { done, checkpoints, notices }
}

beforeAll(useWasm)

describe('sharpening in a run', () => {
  it('backs off a term that degrades the reconstructions, with a notice, and the run goes on', async () => {
    // The largest weight the config allows, from step 10: the adversarial term swamps the
    // reconstruction (the squared error passes 1.5× its level within a few hundred steps; the
    // whole back-off sequence is in sharpen.test.ts).
    const config = smallTrain({
      length: { unit: 'steps', amount: 600 },
      batchSize: 8,
      sharpen: 10,
      sharpenAfter: 10,
      checkpointEverySteps: 300
    })
    const { done, checkpoints, notices } = run(config)
    expect(await done).toEqual({ state: 'finished' })
    expect(notices[0]).toMatchObject({ step: 11, message: expect.stringMatching(/^Sharpening started/) })
    expect(notices[1]?.message).toMatch(
      /^Sharpening backed off to weight 5: the squared error rose from \S+ to \S+ since sharpening began\.$/
    )
    const last = checkpoints.at(-1)!
    expect(last.step).toBe(600)
    expect(last.sharpen).toMatchObject({ chosen: 10, backoffs: notices.length - 1 })
    expect(last.sharpen!.weight).toBeLessThanOrEqual(5)
  }, 300_000)

  it('refuses to sharpen on the engine thread, saying why, before any step', async () => {
    const { done, checkpoints } = run(smallTrain({ sharpen: 0.5 }), { workers: undefined })
    await expect(done).rejects.toThrow(sharpenNeedsWorkers)
    expect(checkpoints).toEqual([])
  })

  it('resumes a run saved without sharpening into one with a fresh discriminator, and back', async () => {
    const plain = run(smallTrain({ epochs: 1 }))
    await plain.done
    const saved = plain.checkpoints.at(-1)!
    expect(saved.sharpen).toBeUndefined()
    const sharpened = run(smallTrain({ epochs: 2, sharpen: 0.5, sharpenAfter: 0 }), { resumeFrom: saved })
    expect(await sharpened.done).toEqual({ state: 'finished' })
    const after = sharpened.checkpoints.at(-1)!
    expect(after.sharpen!.discriminatorSteps).toBe(after.step - saved.step)
    const again = run(smallTrain({ epochs: 3 }), { resumeFrom: after })
    expect(await again.done).toEqual({ state: 'finished' })
    expect(again.checkpoints.at(-1)!.sharpen).toBeUndefined()
  }, 120_000)
})
