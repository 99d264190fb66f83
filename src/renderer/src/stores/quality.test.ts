import { describe, expect, it } from 'vitest'
import type { ProjectSummary, QualityPoint } from '../../../shared/contract'
import { defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import { deferred, fakeStudio, settle } from '../../../../test/support/fake-studio'
import { Notices } from './notices.svelte'
import { QualityStore } from './quality.svelte'

function point(step: number, frechet: number): QualityPoint {
  return {
    step,
    frechet,
    kid: frechet / 100,
    kidStd: 0.0001,
    identity: 0.9,
    samples: 128,
    reference: 400,
    heldOut: 40,
    floor: { frechet: 0.02, kid: 0 },
    temperature: 1,
    seconds: 6
  }
}

const project: ProjectSummary = {
  path: '/p/Faces.vaeproj',
  name: 'Faces',
  source: '/faces',
  imageCount: 3,
  imageSize: 32,
  channels: 1,
  model: defaultModelConfig,
  train: defaultTrainConfig,
  checkpoint: null,
  trainState: { state: 'idle' },
  faces: true
}

describe('QualityStore', () => {
  it("shows the project's measurements, or why the metric does not apply", async () => {
    const studio = fakeStudio({
      qualityHistory: () => ({ applies: false, reason: 'train first: there is no model to measure yet', points: [] })
    })
    const store = new QualityStore(studio.api, new Notices())
    await store.reset({ project, kind: 'switched' })
    expect(store.applies).toBe(false)
    expect(store.reason).toBe('train first: there is no model to measure yet')

    // A measurement taken at a checkpoint arrives as an event: the metric applies from then on.
    store.onPoint(point(200, 0.2))
    store.onPoint(point(100, 0.3))
    expect(store.applies).toBe(true)
    expect(store.reason).toBeNull()
    expect(store.points.map((p) => p.step)).toEqual([100, 200])
    expect(store.latest?.frechet).toBe(0.2)
  })

  it('measures on request once at a time, and keeps only the answer for the project now open', async () => {
    const answer = deferred<QualityPoint>()
    const studio = fakeStudio({
      qualityHistory: () => ({ applies: true, points: [point(100, 0.3)] }),
      qualityMeasure: () => answer.promise
    })
    const store = new QualityStore(studio.api, new Notices())
    await store.reset({ project, kind: 'switched' })
    const measuring = store.measure()
    void store.measure()
    expect(store.measuring).toBe(true)
    answer.resolve(point(300, 0.15))
    await measuring
    await settle()
    expect(store.measuring).toBe(false)
    expect(studio.callsOf('qualityMeasure')).toEqual([{ samples: 256 }])
    expect(store.points.map((p) => p.frechet)).toEqual([0.3, 0.15])

    await store.reset({ project: null, kind: 'switched' })
    expect(store.points).toEqual([])
  })

  it('says nothing of a history that failed after another project was opened, and shows the one now open', async () => {
    const notices = new Notices()
    const first = deferred<never>()
    let calls = 0
    const studio = fakeStudio({
      qualityHistory: () => (++calls === 1 ? first.promise : { applies: false, reason: 'the project has no images yet', points: [] })
    })
    const store = new QualityStore(studio.api, notices)
    const opening = store.reset({ project, kind: 'switched' })
    await store.reset({ project: { ...project, path: '/p/Empty.vaeproj', name: 'Empty' }, kind: 'switched' })
    first.reject(new Error('this project has no images yet: import a folder or the demo faces first'))
    await opening
    expect(notices.items).toEqual([])
    expect(store.reason).toBe('the project has no images yet')
  })

  it('shows a refused measurement as a notice and stays usable', async () => {
    const notices = new Notices()
    const studio = fakeStudio({
      qualityHistory: () => ({ applies: true, points: [] }),
      qualityMeasure: () => Promise.reject(new Error('the images are not faces'))
    })
    const store = new QualityStore(studio.api, notices)
    await store.reset({ project, kind: 'switched' })
    await store.measure()
    expect(store.measuring).toBe(false)
    expect(notices.items.map((n) => n.message)).toEqual(['the images are not faces'])
  })
})
