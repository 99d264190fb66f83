import { describe, expect, it } from 'vitest'
import type { ProjectSummary } from '../../../shared/contract'
import { defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import { fakeStudio } from '../../../../test/support/fake-studio'
import { DatasetStore } from './dataset.svelte'
import { Notices } from './notices.svelte'
import { ProjectStore } from './project.svelte'

const summary = (imageCount: number): ProjectSummary => ({
  path: '/p/Faces.vaeproj',
  name: 'Faces',
  source: '/faces',
  imageCount,
  imageSize: 32,
  channels: 1,
  model: defaultModelConfig,
  train: defaultTrainConfig,
  checkpoint: null,
  trainState: { state: 'idle' },
  faces: false
})

describe('DatasetStore', () => {
  it('imports with a plain copy of the options, then shows the new images and remembers the options', async () => {
    const skipped = [{ file: 'README.md', reason: 'not an image' }]
    const fake = fakeStudio({
      datasetImport: () => ({ imported: 400, skipped, duplicates: 0 }),
      projectCurrent: () => summary(400),
      settingsSet: (patch) => ({
        recentProjects: [],
        lastImportOptions: patch.lastImportOptions!,
        lastTrainConfig: defaultTrainConfig,
        theme: 'system'
      })
    })
    const notices = new Notices()
    const store = new DatasetStore(fake.api, notices, new ProjectStore(fake.api, notices))
    store.options.size = 32
    store.options.channels = 1
    const importing = store.importFolder('/faces')
    expect(store.importing).toBe(true)
    store.onProgress({ done: 100, total: 401, imported: 99, skipped: 1 })
    expect(store.percent).toBeCloseTo((100 * 100) / 401)
    await importing
    const [req] = fake.callsOf('datasetImport') as Array<{ folder: string; options: object }>
    expect(structuredClone(req)).toEqual(req)
    expect(req).toMatchObject({ folder: '/faces', options: { size: 32, channels: 1 } })
    expect(store.importing).toBe(false)
    expect(store.count).toBe(400)
    expect(store.skipped).toEqual(skipped)
    expect(fake.callsOf('settingsSet')).toEqual([{ lastImportOptions: req.options }])
    expect(notices.items).toEqual([])
  })

  it('shows a failed import and leaves the dataset as it was', async () => {
    const fake = fakeStudio({
      datasetImport: () => {
        throw new Error('no images found in /empty')
      }
    })
    const notices = new Notices()
    const store = new DatasetStore(fake.api, notices, new ProjectStore(fake.api, notices))
    await store.importFolder('/empty')
    expect(notices.items).toMatchObject([{ kind: 'error', message: 'no images found in /empty' }])
    expect(store.result).toBeNull()
    expect(fake.callsOf('settingsSet')).toEqual([])
  })
})
