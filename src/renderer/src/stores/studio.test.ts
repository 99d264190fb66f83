import { describe, expect, it } from 'vitest'
import type { EngineInfo, ProjectSummary, Settings, StudioApi } from '../../../shared/contract'
import { defaultImportOptions, defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import type { EngineStatus } from '../../../shared/events'
import { deferred, fakeStudio, settle } from '../../../../test/support/fake-studio'
import { StudioError } from '../../../shared/errors'
import { pageFolderMemory } from '../lib/folder-memory'
import { Studio } from './studio.svelte'

const settings: Settings = {
  recentProjects: ['/home/ann/Faces.vaeproj'],
  lastImportOptions: defaultImportOptions,
  lastTrainConfig: defaultTrainConfig,
  theme: 'dark'
}
const info = (): EngineInfo => ({
  backend: 'wasm',
  availableBackends: ['wasm', 'cpu'],
  tfjsVersion: '4.22.0',
  cores: 2,
  platform: 'linux',
  imageLibrary: { name: 'sharp' },
  workerThreads: true
})
const summary = (checkpoint: ProjectSummary['checkpoint']): ProjectSummary => ({
  path: '/home/ann/Faces.vaeproj',
  name: 'Faces',
  source: '/home/ann/faces',
  imageCount: 0,
  imageSize: 32,
  channels: 1,
  model: defaultModelConfig,
  train: defaultTrainConfig,
  checkpoint,
  trainState: { state: 'idle' },
  faces: false
})

function connect(api: StudioApi, desktop = false) {
  return { api, desktop, onConnectionChange: () => () => {}, pathForFile: null }
}

describe('Studio', () => {
  it('falls back to the in-page chooser in serve mode: Home the first time, then the folder last chosen in it', async () => {
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => ({ ...summary(null), path: '/home/ann/.config/vae-studio/projects/Demo faces.vaeproj' }),
      projectRecent: () => settings.recentProjects,
      datasetSkipped: () => [],
      dialogPickFolder: () => null,
      filesList: ({ path }) => {
        const shown = path === '~' ? '/home/ann' : path
        return { path: shown, parent: '/home', entries: [{ name: 'faces', path: `${shown}/faces`, kind: 'dir' as const }] }
      }
    })
    const folders = pageFolderMemory()
    const studio = new Studio(connect(fake.api), folders)
    await studio.start()
    expect(studio.theme).toBe('dark')
    const picked = studio.pickFolder('import')
    await settle()
    expect(studio.chooser.open).toBe(true)
    expect(fake.callsOf('filesList')).toEqual([{ path: '~' }])
    expect(studio.chooser.folders.map((f) => f.name)).toEqual(['faces'])
    await studio.chooser.browse('/home/ann/faces')
    studio.chooser.choose()
    await expect(picked).resolves.toBe('/home/ann/faces')
    expect(folders.get()).toBe('/home/ann/faces')

    // The next chooser, in this page or a new one, opens there.
    const again = new Studio(connect(fake.api), folders)
    await again.start()
    void again.pickFolder('open-project')
    await settle()
    expect(fake.callsOf('filesList').at(-1)).toEqual({ path: '/home/ann/faces' })
    expect(again.chooser.path).toBe('/home/ann/faces')
  })

  it('opens the chooser at Home when the folder last chosen is gone', async () => {
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => null,
      projectRecent: () => [],
      dialogPickFolder: () => null,
      filesList: ({ path }) => {
        if (path !== '~') throw new StudioError('not-found', `${path} does not exist`)
        return { path: '/home/ann', parent: '/home', entries: [] }
      }
    })
    const studio = new Studio(connect(fake.api), pageFolderMemory('/mnt/usb/faces'))
    await studio.start()
    void studio.pickFolder('import')
    await settle()
    expect(fake.callsOf('filesList')).toEqual([{ path: '/mnt/usb/faces' }, { path: '~' }])
    expect(studio.chooser).toMatchObject({ path: '/home/ann', error: null })
  })

  it('takes a null from the desktop dialog as a cancel', async () => {
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => null,
      projectRecent: () => [],
      dialogPickFolder: () => null
    })
    const studio = new Studio(connect(fake.api, true))
    await studio.start()
    await expect(studio.pickFolder('import')).resolves.toBeNull()
    expect(studio.chooser.open).toBe(false)
  })

  it('names a new project’s folder from the chooser and creates it there', async () => {
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => null,
      projectRecent: () => settings.recentProjects,
      dialogPickFolder: () => null,
      filesList: ({ path }) => ({ path, parent: null, entries: [] }),
      projectCreate: ({ path }) => ({ ...summary(null), path })
    })
    const studio = new Studio(connect(fake.api), pageFolderMemory('/home/ann'))
    await studio.start()
    const created = studio.newProject()
    await settle()
    studio.chooser.name = 'My faces'
    studio.chooser.choose()
    await created
    expect(fake.callsOf('projectCreate')).toEqual([{ path: '/home/ann/My faces.vaeproj', name: 'My faces' }])
    expect(studio.project.current?.path).toBe('/home/ann/My faces.vaeproj')
  })

  it('asks a desktop user to name the project after the native dialog picked its place, engine info or not', async () => {
    // The engine may still be starting when the menu's New Project… arrives: the page knows it is the desktop app by itself.
    const fake = fakeStudio({
      engineInfo: () => deferred<EngineInfo>().promise,
      settingsGet: () => settings,
      projectCurrent: () => null,
      projectRecent: () => [],
      dialogPickFolder: () => '/home/ann/Projects',
      projectCreate: ({ path }) => ({ ...summary(null), path })
    })
    const studio = new Studio(connect(fake.api, true))
    void studio.start()
    const created = studio.newProject()
    await settle()
    expect(studio.chooser).toMatchObject({ open: true, nameOnly: true, path: '/home/ann/Projects' })
    studio.chooser.name = 'Faces'
    studio.chooser.choose()
    await created
    expect(fake.callsOf('projectCreate')).toEqual([{ path: '/home/ann/Projects/Faces.vaeproj', name: 'Faces' }])
    expect(fake.callsOf('filesList')).toEqual([])
  })

  it('routes events to the stores and re-reads the project when a run ends', async () => {
    let current = summary(null)
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => current,
      projectRecent: () => [],
      datasetSkipped: () => []
    })
    const studio = new Studio(connect(fake.api))
    await studio.start()
    await settle()
    fake.emit('dataset:progress', { done: 5, total: 10, imported: 5, skipped: 0 })
    expect(studio.dataset.percent).toBe(50)
    fake.emit('train:state', { state: 'running' })
    fake.emit('train:progress', {
      step: 3,
      epoch: 1,
      imagesSeen: 30,
      epochImages: 20,
      totalSteps: 6,
      stepsPerEpoch: 2,
      length: { unit: 'steps', amount: 6 },
      fraction: 0.5,
      trainedSec: 3,
      loss: 1,
      recon: 1,
      kl: 0,
      beta: 1,
      targetBeta: 1,
      stepsPerSec: 1,
      imgPerSec: 10,
      etaSec: 1
    })
    expect(studio.training.series.length).toBe(1)
    expect(studio.training.active).toBe(true)
    current = summary({ step: 6, epoch: 2, beta: 1 })
    fake.emit('train:state', { state: 'finished' })
    await settle()
    expect(studio.training.checkpoint).toEqual({ step: 6, epoch: 2, beta: 1 })
    fake.emit('engine:status', { state: 'restarting', crash: { message: 'out of memory' } })
    expect(studio.visibleCrash?.message).toBe('out of memory')
  })

  it('shows the project the engine opened by itself, even when its own question was answered before', async () => {
    const asked = deferred<ProjectSummary | null>()
    const opened = { ...summary(null), imageCount: 2000, source: 'demo' }
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => asked.promise,
      projectRecent: () => [],
      datasetSkipped: () => []
    })
    const studio = new Studio(connect(fake.api))
    const started = studio.start()
    await settle()
    // The desktop app opens its start-up project while the page is loading: the event comes
    // first, the answer to "which project is open?" (null, from before) after it.
    fake.emit('project:changed', opened)
    await settle()
    asked.resolve(null)
    await started
    expect(studio.project.current?.path).toBe(opened.path)
    expect(studio.dataset.count).toBe(2000)
    // New images in the same project (an import the host ran) reach the grid.
    fake.emit('project:changed', { ...opened, imageCount: 2400 })
    await settle()
    expect(studio.dataset.count).toBe(2400)
  })

  it('carries out the desktop menu’s commands like its own buttons', async () => {
    const opened = summary(null)
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => null,
      projectRecent: () => [],
      datasetSkipped: () => [],
      dialogPickFolder: () => '/home/ann/Other.vaeproj',
      projectOpen: ({ path }) => ({ ...opened, path }),
      projectSave: () => opened
    })
    const studio = new Studio(connect(fake.api))
    await studio.start()
    fake.emit('app:command', { command: 'save' })
    await settle()
    expect(fake.callsOf('projectSave')).toEqual([])
    expect(studio.notices.items.at(-1)?.title).toBe('Nothing to save')
    fake.emit('app:command', { command: 'open-project', path: '/home/ann/Faces.vaeproj' })
    await settle()
    expect(studio.project.current?.path).toBe('/home/ann/Faces.vaeproj')
    fake.emit('app:command', { command: 'open-project' })
    await settle()
    expect(fake.callsOf('dialogPickFolder')).toEqual([{ purpose: 'open-project' }])
    expect(studio.project.current?.path).toBe('/home/ann/Other.vaeproj')
    fake.emit('app:command', { command: 'save' })
    await settle()
    expect(fake.callsOf('projectSave')).toEqual([undefined])
    fake.emit('app:command', { command: 'export' })
    expect(studio.view).toBe('export')
  })

  it('offers a restart once the host gave up on the engine, and re-reads everything when it is back', async () => {
    let status: EngineStatus = { state: 'stopped', crash: { message: 'engine failed to start: no backend' } }
    const fake = fakeStudio({
      engineStatus: () => status,
      engineRestart: () => (status = { state: 'restarting', crash: status.crash }),
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => null,
      projectRecent: () => []
    })
    const studio = new Studio(connect(fake.api))
    await studio.start()
    expect(studio.engine.state).toBe('stopped')
    expect(studio.visibleCrash?.message).toBe('engine failed to start: no backend')
    await studio.restartEngine()
    expect(studio.engine.state).toBe('restarting')
    const readsBefore = fake.callsOf('engineInfo').length
    fake.emit('engine:status', { state: 'ready', crash: status.crash })
    await settle()
    expect(fake.callsOf('engineInfo').length).toBe(readsBefore + 1)
    studio.dismissedCrash = studio.engine.crash
    expect(studio.visibleCrash).toBeNull()
  })

  it('shows a failed request as an error notice with its code', async () => {
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => null,
      projectRecent: () => [],
      projectOpen: () => {
        throw Object.assign(new Error('this project was made by a newer VAE Studio'), { code: 'newer-schema' })
      }
    })
    const studio = new Studio(connect(fake.api))
    await studio.start()
    await studio.openProject('/x.vaeproj')
    expect(studio.notices.items).toMatchObject([{ kind: 'error', title: 'Could not open the project', code: 'newer-schema' }])
  })

  it('exports the model into a new folder named in the page’s chooser', async () => {
    const trained = summary({ step: 10, epoch: 1, beta: 1 })
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => trained,
      projectRecent: () => [],
      datasetSkipped: () => [],
      trainHistory: () => ({ rows: [], epochs: [], betaChanges: [] }),
      modelReconstruct: () => [],
      modelSample: () => ({ z: [], images: [] }),
      dialogPickFolder: () => null,
      filesList: ({ path }) => ({ path, parent: null, entries: [] }),
      exportModel: ({ folder }) => ({ folder, encoder: 'e', decoder: 'd', latentDim: 8, imageSize: 32, channels: 1 as const })
    })
    const studio = new Studio(connect(fake.api), pageFolderMemory('/home/ann'))
    await studio.start()
    const exported = studio.exportModel()
    await settle()
    expect(fake.callsOf('dialogPickFolder')).toEqual([{ purpose: 'export-model' }])
    expect(studio.chooser).toMatchObject({ open: true, purpose: 'export-model', exportName: 'Faces-tfjs', target: '/home/ann/Faces-tfjs' })
    studio.chooser.choose()
    await exported
    expect(fake.callsOf('exportModel')).toEqual([{ folder: '/home/ann/Faces-tfjs' }])
    expect(studio.exporter.model?.folder).toBe('/home/ann/Faces-tfjs')
  })

  it('keeps the tray and tool inputs over a reconnect, not for another project', async () => {
    let current = summary(null)
    let reconnect: (connected: boolean) => void = () => {}
    const fake = fakeStudio({
      engineInfo: () => info(),
      settingsGet: () => settings,
      projectCurrent: () => current,
      projectRecent: () => [],
      datasetSkipped: () => [],
      projectOpen: ({ path }) => (current = { ...summary(null), path })
    })
    const studio = new Studio({ ...connect(fake.api), onConnectionChange: (listener) => ((reconnect = listener), () => {}) })
    await studio.start()
    studio.latent.keep({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([1]) }, [0, 0], 'kept')
    studio.tools.interpolation.start.pick({ kind: 'index', index: 2 })
    reconnect(true)
    await settle()
    expect(studio.latent.tray).toHaveLength(1)
    expect(studio.tools.interpolation.start.filled).toBe(true)
    await studio.openProject('/home/ann/Other.vaeproj')
    expect(studio.latent.tray).toEqual([])
    expect(studio.tools.interpolation.start.filled).toBe(false)
  })
})
