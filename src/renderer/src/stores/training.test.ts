import { describe, expect, it } from 'vitest'
import type { ProjectSummary } from '../../../shared/contract'
import { defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import type { TrainEpoch, TrainProgress } from '../../../shared/events'
import type { RawImage } from '../../../shared/images'
import { deferred, fakeStudio, settle } from '../../../../test/support/fake-studio'
import { Notices } from './notices.svelte'
import { TrainingStore } from './training.svelte'

function progress(step: number, targetBeta = 1): TrainProgress {
  return {
    step,
    epoch: Math.floor(step / 10),
    // A set of 29 images in batches of 64: each step holds 29 (issue 20.4).
    imagesSeen: step * 29,
    epochImages: 29,
    totalSteps: 100,
    stepsPerEpoch: 1,
    length: { unit: 'steps', amount: 100 },
    fraction: step / 100,
    trainedSec: step / 2,
    loss: 500 - step,
    recon: 450 - step,
    kl: 50,
    beta: targetBeta,
    targetBeta,
    stepsPerSec: 2,
    imgPerSec: 58,
    etaSec: 30
  }
}

const image = (v: number): RawImage => ({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([v]) })

function epoch(n: number, step: number): TrainEpoch {
  return {
    epoch: n,
    step,
    trainLoss: 1,
    trainRecon: 1,
    trainKl: 1,
    valLoss: 400,
    valRecon: 380,
    valKl: 20,
    klPerDim: [0.5, 0.001],
    activeUnits: 1,
    reconstructions: [image(1), image(2)],
    samples: [image(3)]
  }
}

function project(checkpoint: ProjectSummary['checkpoint']): ProjectSummary {
  return {
    path: '/p/Faces.vaeproj',
    name: 'Faces',
    source: '/faces',
    imageCount: 3,
    imageSize: 32,
    channels: 1,
    model: { ...defaultModelConfig, latentDim: 8 },
    train: { ...defaultTrainConfig, beta: 1.5 },
    checkpoint,
    trainState: { state: 'idle' },
    faces: false
  }
}

describe('TrainingStore', () => {
  it('adds a chart row per progress event and marks each change of the target β', () => {
    const store = new TrainingStore(fakeStudio().api, new Notices())
    store.onProgress(progress(1, 1))
    store.onProgress(progress(2, 1))
    store.onProgress(progress(3, 2.5))
    store.onProgress(progress(4, 2.5))
    expect(store.series.steps).toEqual([1, 2, 3, 4])
    expect(store.series.columns.loss).toEqual([499, 498, 497, 496])
    expect(store.betaMarks).toEqual([{ step: 3, beta: 2.5 }])
    expect(store.fraction).toBeCloseTo(0.04)
    expect(store.epochsSeen).toBe(4)
  })

  it('puts validation losses at the epoch step and shows the epoch previews', () => {
    const store = new TrainingStore(fakeStudio().api, new Notices())
    store.onProgress(progress(8))
    store.onEpoch(epoch(1, 10))
    store.onProgress(progress(12))
    expect(store.series.steps).toEqual([8, 10, 12])
    expect(store.series.columns.valLoss).toEqual([null, 400, null])
    expect(store.series.columns.loss).toEqual([492, null, 488])
    expect(store.previews?.label).toBe('epoch 1')
    expect(store.previews?.reconstructions).toHaveLength(2)
    expect(store.latestEpoch).toMatchObject({ epoch: 1, activeUnits: 1 })
    expect(store.latestEpoch).not.toHaveProperty('samples')
  })

  it('drops the rows a resumed run rewrites', () => {
    const store = new TrainingStore(fakeStudio().api, new Notices())
    for (const s of [1, 2, 3, 4, 5]) store.onProgress(progress(s))
    store.onProgress(progress(3))
    expect(store.series.steps).toEqual([1, 2, 3])
  })

  it('sends β live while running, one request at a time, latest value last', async () => {
    const gate = deferred<{ beta: number }>()
    const fake = fakeStudio({ trainSetBeta: () => gate.promise })
    const store = new TrainingStore(fake.api, new Notices())
    store.setBeta(0.5)
    expect(fake.callsOf('trainSetBeta')).toEqual([]) // idle: kept for the next run
    store.onState({ state: 'running' })
    for (const b of [0.6, 0.7, 0.8, 0.9]) store.setBeta(b)
    expect(fake.callsOf('trainSetBeta')).toEqual([{ beta: 0.6 }])
    gate.resolve({ beta: 0.6 })
    await settle()
    expect(fake.callsOf('trainSetBeta')).toEqual([{ beta: 0.6 }, { beta: 0.9 }])
    expect(store.train.beta).toBe(0.9)
  })

  it('starts a run with plain (cloneable) settings and the slider’s β', async () => {
    const fake = fakeStudio({ trainStart: () => ({ state: 'running' }) })
    const store = new TrainingStore(fake.api, new Notices())
    store.plan.choose('epochs')
    store.train.length.amount = 2
    store.setBeta(3)
    await store.start()
    const [req] = fake.callsOf('trainStart') as Array<{ train: { length: unknown; beta: number } }>
    expect(structuredClone(req)).toEqual(req)
    expect(req.train).toMatchObject({ length: { unit: 'epochs', amount: 2 }, beta: 3 })
    expect(store.status.state).toBe('running')
  })

  it('moves β with the loss when it was the old loss’s own, and keeps a β the user chose', () => {
    const store = new TrainingStore(fakeStudio({}).api, new Notices())
    expect([store.model.recon, store.train.beta]).toEqual(['gaussian', 16])
    store.chooseRecon('bce')
    expect([store.model.recon, store.train.beta]).toEqual(['bce', 1])
    store.chooseRecon('gaussian')
    expect(store.train.beta).toBe(16)
    store.setBeta(24)
    store.chooseRecon('mse')
    expect([store.model.recon, store.train.beta]).toEqual(['mse', 24])
  })

  it('sends a β moved since the checkpoint once a continued run is going', async () => {
    const fake = fakeStudio({ trainStart: () => ({ state: 'running' }), trainSetBeta: ({ beta }) => ({ beta }) })
    const store = new TrainingStore(fake.api, new Notices())
    store.checkpoint = { step: 10, epoch: 1, beta: 1 }
    store.setBeta(0.25)
    await store.start()
    await settle()
    expect(fake.callsOf('trainSetBeta')).toEqual([{ beta: 0.25 }])
  })

  it('reloads the history and rebuilds previews when a trained project opens', async () => {
    const fake = fakeStudio({
      trainHistory: () => ({
        rows: [
          { step: 1, epoch: 1, loss: 9, recon: 8, kl: 1, beta: 1 },
          { step: 2, epoch: 1, loss: 7, recon: 6, kl: 1, beta: 2 }
        ],
        epochs: [
          { epoch: 1, step: 2, trainLoss: 7, trainRecon: 6, trainKl: 1, valLoss: 8, valRecon: 7, valKl: 1, klPerDim: [1], activeUnits: 1 }
        ],
        betaChanges: [{ step: 2, beta: 2 }]
      }),
      datasetThumbnails: ({ count }) => Array.from({ length: count }, (_, i) => image(i)),
      modelReconstruct: ({ indices }) => indices.map((i) => image(100 + i)),
      modelSample: ({ count }) => ({ z: [], images: Array.from({ length: count }, () => image(50)) })
    })
    const store = new TrainingStore(fake.api, new Notices())
    await store.reset({ project: project({ step: 2, epoch: 1, beta: 2 }), kind: 'switched' })
    expect(store.series.steps).toEqual([1, 2])
    expect(store.series.columns.valLoss).toEqual([null, 8])
    expect(store.betaMarks).toEqual([{ step: 2, beta: 2 }])
    expect(store.train.beta).toBe(2)
    expect(store.model).toMatchObject({ latentDim: 8, imageSize: 32, channels: 1 })
    expect(store.previews?.reconstructions.map((i) => i.pixels[0])).toEqual([0, 100, 1, 101, 2, 102])
    expect(store.previews?.samples).toHaveLength(16)
    // The next progress event continues the marks from the reloaded β.
    store.onProgress(progress(3, 2))
    expect(store.betaMarks).toHaveLength(1)
  })
})
