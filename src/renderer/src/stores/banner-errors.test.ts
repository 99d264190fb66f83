import { describe, expect, it } from 'vitest'
import type { EngineInfo, Settings } from '../../../shared/contract'
import { defaultImportOptions, defaultTrainConfig } from '../../../shared/config'
import { StudioError } from '../../../shared/errors'
import { fakeStudio, settle } from '../../../../test/support/fake-studio'
import { Studio } from './studio.svelte'

const settings: Settings = {
  recentProjects: [],
  lastImportOptions: defaultImportOptions,
  lastTrainConfig: defaultTrainConfig,
  theme: 'dark'
}
const info: EngineInfo = {
  backend: 'wasm',
  availableBackends: ['wasm'],
  tfjsVersion: '4.22.0',
  cores: 2,
  platform: 'linux',
  imageLibrary: { name: 'sharp' },
  workerThreads: true
}

/** A studio whose server link the test drops and restores; while it is down, requests fail as the transport fails them. */
async function studioOnline() {
  let online = true
  let change: (connected: boolean) => void = () => {}
  const offline = () => {
    throw new StudioError('internal', 'not connected to the studio server')
  }
  const fake = fakeStudio({
    engineInfo: () => (online ? info : offline()),
    settingsGet: () => (online ? settings : offline()),
    settingsSet: () => (online ? settings : offline()),
    projectCurrent: () => (online ? null : offline()),
    projectRecent: () => (online ? [] : offline()),
    datasetCancel: () => (online ? { cancelled: false } : offline()),
    projectSave: () => offline()
  })
  const studio = new Studio({ api: fake.api, desktop: false, pathForFile: null, onConnectionChange: (l) => ((change = l), () => {}) })
  await studio.start()
  const setOnline = (value: boolean) => {
    online = value
    change(value)
  }
  return { studio, fake, setOnline }
}

describe('errors a banner says already', () => {
  it('shows no notice for the requests that fail while the server is away, and shows them again once it is back', async () => {
    const { studio, setOnline } = await studioOnline()
    setOnline(false)
    expect(studio.connected).toBe(false)
    await Promise.all([studio.setTheme('light'), studio.dataset.cancelImport(), studio.project.save(), studio.openProject('/x.vaeproj')])
    await settle()
    expect(studio.notices.items).toEqual([])

    setOnline(true)
    await settle()
    expect(studio.connected).toBe(true)
    await studio.project.save()
    expect(studio.notices.items).toMatchObject([{ kind: 'error', message: 'not connected to the studio server' }])
  })

  it('leaves a stopped engine to its banner, even for errors that came before its status did', async () => {
    const { studio, fake } = await studioOnline()
    const crashed = new StudioError('engine-crashed', 'the engine stopped: out of memory')
    studio.notices.error('Could not decode', crashed)
    studio.notices.error('Could not open the project', new StudioError('not-found', 'no such project'))
    expect(studio.notices.items).toHaveLength(2)

    fake.emit('engine:status', { state: 'restarting', crash: { message: 'out of memory' } })
    expect(studio.notices.items.map((n) => n.code)).toEqual(['not-found'])
    expect(studio.notices.error('Could not sample', crashed)).toBeNull()
    fake.emit('engine:status', { state: 'stopped', crash: { message: 'out of memory' } })
    studio.notices.error('Could not sample', new StudioError('engine-stopped', 'the engine is not running: out of memory'))
    expect(studio.notices.items).toHaveLength(1)

    // Once the user dismissed the banner, nothing else says it.
    studio.dismissedCrash = studio.engine.crash
    studio.notices.error('Could not sample', new StudioError('engine-stopped', 'the engine is not running: out of memory'))
    expect(studio.notices.items.map((n) => n.code)).toEqual(['not-found', 'engine-stopped'])
  })
})
