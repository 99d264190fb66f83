import { describe, expect, it } from 'vitest'
import type { TrainPlan } from '../../../shared/run-length'
import { fakeStudio, settle } from '../../../../test/support/fake-studio'
import { Notices } from './notices.svelte'
import { TrainingStore } from './training.svelte'

/** 32 photos, 29 of them trained on in batches of 64: a step holds 29 and takes half a second. */
function plan(step: number): TrainPlan {
  return {
    shape: { trainImages: 29, batchSize: 64 },
    recommendedSteps: 400,
    at: { step, imagesSeen: step * 29, trainedSec: step / 2 },
    pace: { secPerStep: 0.5, imagesPerStep: 29, source: 'project' }
  }
}

describe('the run length and its plan', () => {
  it('says the recommended length and its expected time before a run', async () => {
    const fake = fakeStudio({ trainPlan: () => plan(0) })
    const store = new TrainingStore(fake.api, new Notices())
    store.plan.refresh()
    await settle()
    expect(fake.callsOf('trainPlan')).toMatchObject([{ train: { length: { unit: 'steps', amount: null } }, measure: true }])
    expect(store.plan.choice).toBe('recommended')
    expect(store.plan.resolved).toEqual({ unit: 'steps', amount: 400 })
    expect(store.plan.estimate).toEqual({ stepsLeft: 400, secondsLeft: 200, estimated: true })
    expect(store.plan.reached).toBe(false)
  })

  it('keeps the same end when the unit changes, as far as the pace allows', async () => {
    const store = new TrainingStore(fakeStudio({ trainPlan: () => plan(0) }).api, new Notices())
    store.plan.refresh()
    await settle()
    store.plan.choose('minutes')
    expect(store.train.length).toEqual({ unit: 'minutes', amount: 3.5 }) // 400 steps × 0.5 s, up to a half minute
    store.plan.choose('epochs')
    expect(store.train.length).toEqual({ unit: 'epochs', amount: 420 }) // 3.5 minutes of 0.5 s steps, each an epoch of 29
    store.plan.choose('recommended')
    expect(store.train.length).toEqual({ unit: 'steps', amount: null })
  })

  it('offers to train more once the length is reached, and trains on from where the model is', async () => {
    const fake = fakeStudio({ trainPlan: () => plan(400), trainStart: () => ({ state: 'running' }) })
    const store = new TrainingStore(fake.api, new Notices())
    store.plan.refresh()
    await settle()
    expect(store.plan.reached).toBe(true)
    expect(store.plan.more).toEqual({ unit: 'steps', amount: 600 }) // 5 minutes at 0.5 s a step
    await store.trainMore()
    expect(fake.callsOf('trainStart')).toMatchObject([{ train: { length: { unit: 'steps', amount: 1000 } } }])
    expect(store.status.state).toBe('running')
  })

  it('says why there is no estimate when the engine cannot plan', async () => {
    const fake = fakeStudio({
      trainPlan: () => {
        throw new Error('the dataset has 1 image(s): too few to hold out 10% for validation')
      }
    })
    const store = new TrainingStore(fake.api, new Notices())
    store.plan.refresh()
    await settle()
    expect(store.plan.problem).toContain('too few to hold out')
    expect(store.plan.plan).toBeNull()
  })
})
