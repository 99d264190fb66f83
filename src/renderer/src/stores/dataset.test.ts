import { describe, expect, it } from 'vitest'
import type { FaceDetail, ProjectSummary } from '../../../shared/contract'
import { defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import { fakeStudio, settle } from '../../../../test/support/fake-studio'
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
      datasetSkipped: () => skipped,
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

  it('follows an import begun elsewhere (the demo faces made at first start) until its last report', () => {
    const fake = fakeStudio({})
    const notices = new Notices()
    const store = new DatasetStore(fake.api, notices, new ProjectStore(fake.api, notices))
    expect(store.importing).toBe(false)
    store.onProgress({ done: 0, total: 2000, imported: 0, skipped: 0 })
    expect(store.importing).toBe(true)
    store.onProgress({ done: 2000, total: 2000, imported: 2000, skipped: 0 })
    expect(store.importing).toBe(true)
    store.onProgress({ done: 2000, total: 2000, imported: 2000, skipped: 0, ended: true })
    expect(store.importing).toBe(false)
    // One that fails or is cancelled part-way ends the same way.
    store.onProgress({ done: 400, total: 2000, imported: 400, skipped: 0 })
    store.onProgress({ done: 400, total: 2000, imported: 400, skipped: 0, ended: true })
    expect(store.importing).toBe(false)
  })

  it('keeps a project’s image size for the next import, and leaves its colour to the user (Automatic by default)', async () => {
    const fake = fakeStudio({ datasetSkipped: () => [] })
    const notices = new Notices()
    const store = new DatasetStore(fake.api, notices, new ProjectStore(fake.api, notices))
    expect(store.options.channels).toBe('auto')
    await store.reset({ kind: 'switched', project: summary(400) })
    expect(store.options).toMatchObject({ size: 32, channels: 'auto' })
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

  it('leaves one face of a photo out, names it, and brings it back with Undo', async () => {
    let count = 3
    const detail: FaceDetail = {
      file: 'photo_002.jpg',
      photo: { width: 1, height: 1, channels: 3, pixels: new Uint8Array(3) },
      scale: 1,
      faces: [
        { box: { x: 0, y: 0, width: 1, height: 1 }, row: 1, n: 1, score: 0.99 },
        { box: { x: 0, y: 0, width: 1, height: 1 }, row: 2, n: 2, score: 0.55 }
      ],
      labels: null
    }
    const fake = fakeStudio({
      datasetFace: () => detail,
      datasetExclude: () => ((count = 2), { imported: 2, skipped: [], duplicates: 0 }),
      datasetUndoExclude: () => ((count = 3), { imported: 3, skipped: [], duplicates: 0 }),
      datasetSkipped: () => (count === 2 ? [{ file: 'photo_002.jpg', reason: 'left out by you', face: 2 }] : []),
      datasetScores: () => (count === 3 ? [0.98, 0.99, 0.55] : [0.98, 0.99]),
      projectCurrent: () => ({ ...summary(count), faces: true }),
      projectRecent: () => []
    })
    const notices = new Notices()
    const project = new ProjectStore(fake.api, notices)
    const store = new DatasetStore(fake.api, notices, project)
    project.onChange((change) => void store.reset(change))
    await project.load()
    await settle()
    expect(store.unsure).toEqual([{ row: 2, score: 0.55 }])
    await store.select(2)
    await store.exclude(false)
    expect(fake.callsOf('datasetExclude')).toEqual([{ indices: [2], wholePhotos: false }])
    expect(store.count).toBe(2)
    expect(store.skipped).toEqual([{ file: 'photo_002.jpg', reason: 'left out by you', face: 2 }])
    const notice = notices.items.at(-1)!
    expect(notice).toMatchObject({ title: 'Face left out', message: 'face 2 of photo_002.jpg left out by you.', action: { label: 'Undo' } })
    notices.act(notice.id)
    await settle()
    expect(fake.callsOf('datasetUndoExclude')).toHaveLength(1)
    expect(store.count).toBe(3)
    expect(store.skipped).toEqual([])
    expect(notices.items.at(-1)).toMatchObject({ title: 'Brought back', message: 'face 2 of photo_002.jpg is in the dataset again.' })
    // Nothing more to undo: Ctrl+Z does nothing.
    await store.undoExclude()
    expect(fake.callsOf('datasetUndoExclude')).toHaveLength(1)
  })
})
