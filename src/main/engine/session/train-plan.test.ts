import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../../../shared/events'
import { estimateRun, runTarget } from '../../../shared/run-length'
import { smallModel, smallTrain, tempDir, useWasm } from '../../../../test/support/small-setup'
import { engineHandlers } from './engine-handlers'
import { EngineSession } from './engine-session'

let root: string

beforeAll(async () => {
  await useWasm()
  root = await tempDir('train-plan')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('trainPlan: what a run will take, before it starts', () => {
  it('recommends a length for the images, times a few steps once, then uses the project’s own pace', async () => {
    let finished: (s: TrainState) => void = () => undefined
    const engine = new EngineSession(
      (event, payload) => {
        const state = payload as TrainState
        if (event === 'train:state' && ['finished', 'stopped', 'failed'].includes(state.state)) finished(state)
      },
      { name: 'wasm', available: ['wasm', 'cpu'] }
    )
    const session = engineHandlers(engine)
    try {
      await session.projectCreate({ path: path.join(root, 'plan.vaeproj') })
      await session.datasetDemo({ count: 32, seed: 3, size: 32 })
      const train = { ...smallTrain({ batchSize: 64, valFraction: 0.1 }), length: { unit: 'steps' as const, amount: null } }

      const unmeasured = await session.trainPlan({ train, measure: false })
      expect(unmeasured).toMatchObject({ shape: { trainImages: 29, batchSize: 64 }, at: { step: 0, imagesSeen: 0 }, pace: null })
      expect(unmeasured.recommendedSteps).toBeGreaterThanOrEqual(300)

      const measured = await session.trainPlan({ train, measure: true })
      expect(measured.pace).toMatchObject({ source: 'measured', imagesPerStep: 29 })
      expect(measured.pace!.secPerStep).toBeGreaterThan(0)
      // Asked again with the same settings, the engine answers from what it timed.
      expect((await session.trainPlan({ train, measure: false })).pace).toEqual(measured.pace)
      const estimate = estimateRun(runTarget(train.length, measured.shape), measured.at, measured.shape, measured.pace)
      expect(estimate.stepsLeft).toBe(measured.recommendedSteps)

      const end = new Promise<TrainState>((resolve) => (finished = resolve))
      await session.trainStart({ model: smallModel, train: { ...train, length: { unit: 'steps', amount: 12 } } })
      expect((await end).state).toBe('finished')
      const after = await session.trainPlan({ train, measure: false })
      expect(after.at).toMatchObject({ step: 12, imagesSeen: 12 * 29 })
      expect(after.at.trainedSec).toBeGreaterThan(0)
      expect(after.pace).toMatchObject({ source: 'project', imagesPerStep: 29 })
    } finally {
      engine.dispose()
    }
  })
})
