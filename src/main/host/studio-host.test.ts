import { promises as fs, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope } from '../../shared/errors'
import type { EngineStatus, StudioEvents } from '../../shared/events'
import type { EngineChannel } from '../engine/process/protocol'
import { tempDir } from '../../../test/support/small-setup'
import { memorySettingsStore } from './memory-settings-store'
import { forkEngine } from './fork-engine'
import { RestartPolicy } from './restart-policy'
import { createStudioHost } from './studio-host'
import type { StudioHost } from './types'

let root: string
let allowed: string
let outside: string

/** A real engine process whose channel the test can reach, to kill it. */
function trackedFork() {
  const launched: EngineChannel[] = []
  return {
    launched,
    launch: () => {
      const channel = forkEngine()
      launched.push(channel)
      return channel
    }
  }
}

function errorOf(envelope: Envelope<unknown>) {
  return 'error' in envelope ? envelope.error : null
}

let host: StudioHost
const engines = trackedFork()
const events: Array<{ event: keyof StudioEvents; payload: unknown }> = []

beforeAll(async () => {
  root = await tempDir('host')
  allowed = path.join(root, 'chosen')
  outside = path.join(root, 'elsewhere')
  await fs.mkdir(allowed)
  await fs.mkdir(outside)
  await fs.symlink(outside, path.join(allowed, 'escape'))
  await fs.mkdir(path.join(allowed, 'photos'))
  host = createStudioHost({ transport: 'serve', settings: memorySettingsStore(), launchEngine: engines.launch, allowedRoots: [allowed] })
  host.subscribe((event, payload) => events.push({ event, payload }))
})

afterAll(async () => {
  await host.dispose()
  await fs.rm(root, { recursive: true, force: true })
})

describe('studio host', () => {
  it('answers engine info from the engine process', async () => {
    const info = await host.invoke('engineInfo', undefined)
    expect(info).toMatchObject({ result: { backend: 'wasm', imageLibrary: { name: 'sharp' }, workerThreads: true } })
  })

  it('refuses malformed requests with a validation error and keeps working', async () => {
    const bad: Array<[string, unknown]> = [
      ['noSuchMethod', {}],
      ['modelDecode', { z: 'zeros' }],
      ['modelDecode', { z: [[Number.NaN, 0]] }],
      ['modelDecode', { z: Array.from({ length: 5000 }, () => [0, 0]) }],
      ['modelSample', { count: 4, temperature: 1 }],
      ['modelSample', { count: -1, temperature: 1, seed: 1 }],
      ['trainSetBeta', { beta: '2' }],
      ['trainStart', { model: {}, train: {}, extra: true }],
      ['projectOpen', JSON.parse('{"path": "/x", "__proto__": {"polluted": true}}')],
      ['settingsSet', { recentProjects: ['/'] }],
      ['datasetImport', { folder: allowed, options: { size: 100 } }],
      ['exportPng', { images: [{ width: 2, height: 2, channels: 3, pixels: new Uint8Array(3) }], columns: 1 }]
    ]
    for (const [method, payload] of bad) {
      const error = errorOf(await host.invoke(method, payload))
      expect(error?.code, `${method} ${JSON.stringify(payload)?.slice(0, 80)}`).toBe('invalid-request')
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect('result' in (await host.invoke('settingsGet', undefined))).toBe(true)
  })

  it('keeps file access inside the folders the user chose', async () => {
    for (const target of [outside, path.join(allowed, 'escape'), path.join(allowed, '..', 'elsewhere'), '/etc']) {
      const error = errorOf(await host.invoke('projectCreate', { path: path.join(target, 'p.vaeproj') }))
      expect(error?.code, target).toBe('forbidden-path')
    }
    expect(errorOf(await host.invoke('filesList', { path: outside }))?.code).toBe('forbidden-path')
    const listing = await host.invoke('filesList', { path: allowed })
    // Links are not offered: one leading outside would only be refused.
    expect(listing).toMatchObject({ result: { parent: null, entries: [{ name: 'photos', kind: 'dir' }] } })
    host.allowRoot(outside)
    expect(errorOf(await host.invoke('filesList', { path: outside }))).toBeNull()
  })

  it('remembers opened projects, and restarts a crashed engine with the project reopened', async () => {
    const project = path.join(allowed, 'faces.vaeproj')
    expect(errorOf(await host.invoke('projectCreate', { path: project }))).toBeNull()
    expect(errorOf(await host.invoke('datasetDemo', { count: 16, seed: 1 }))).toBeNull()
    expect((await host.invoke('projectRecent', undefined)) as unknown).toEqual({ result: [project] })

    const statesBefore = events.filter((e) => e.event === 'engine:status').length
    engines.launched.at(-1)!.kill()
    const states = () =>
      events
        .filter((e) => e.event === 'engine:status')
        .slice(statesBefore)
        .map((e) => (e.payload as EngineStatus).state)
    await expect.poll(states, { timeout: 60_000 }).toEqual(['restarting', 'restarting', 'ready'])
    expect(engines.launched).toHaveLength(2)
    expect(await host.invoke('engineStatus', undefined)).toEqual({
      result: { state: 'ready', crash: { message: 'the engine process was killed (SIGKILL)' } }
    })
    const current = await host.invoke('projectCurrent', undefined)
    expect(current).toMatchObject({ result: { path: project, imageCount: 16 } })
  })

  it('holds another client’s project change until a sequence of requests (the start-up project) is done', async () => {
    const demo = path.join(allowed, 'seq-demo.vaeproj')
    const mine = path.join(allowed, 'seq-mine.vaeproj')
    const order: string[] = []
    const startup = host.sequence(async (invoke) => {
      await invoke('projectCreate', { path: demo })
      // The user creates a project while the demo faces are still being made.
      void host.invoke('projectCreate', { path: mine }).then(() => order.push('mine created'))
      await invoke('datasetDemo', { count: 300, seed: 1, size: 32 })
      order.push('demo filled')
    })
    await startup
    await expect.poll(() => order).toEqual(['demo filled', 'mine created'])
    expect(await host.invoke('projectCurrent', undefined)).toMatchObject({ result: { path: mine, imageCount: 0 } })
  })

  it('lets recent projects reopen in a host started later, but not those that are gone', async () => {
    const settings = memorySettingsStore()
    const kept = path.join(outside, 'kept.vaeproj')
    const gone = path.join(outside, 'gone.vaeproj')
    for (const project of [kept, gone]) {
      await fs.mkdir(project)
      await fs.writeFile(path.join(project, 'project.json'), '{}')
    }
    settings.set({ recentProjects: [kept, gone] })
    await fs.rm(gone, { recursive: true })
    const later = createStudioHost({ transport: 'electron', settings, launchEngine: () => idleEngine(), allowedRoots: [] })
    try {
      expect(await later.invoke('projectRecent', undefined)).toEqual({ result: [kept] })
      // The project folder itself was chosen, not what lies beside it.
      expect(errorOf(await later.invoke('filesList', { path: kept }))).toBeNull()
      expect(errorOf(await later.invoke('filesList', { path: outside }))?.code).toBe('forbidden-path')
      expect(errorOf(await later.invoke('filesList', { path: gone }))?.code).toBe('forbidden-path')
    } finally {
      await later.dispose()
    }
  })
})

/** An engine that starts and answers nothing: enough for requests the host answers itself. */
function idleEngine(): EngineChannel {
  return { send: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined }
}

describe('studio host with an engine that cannot start', () => {
  it('restarts it with growing delays, gives up after three failures with the reason, and starts again on request', async () => {
    let forks = 0
    const failing = (): EngineChannel => {
      forks++
      const exit: Array<(cause: string) => void> = []
      setTimeout(
        () => exit.forEach((listener) => listener('the engine process exited with code 1: engine failed to start: no backend loads')),
        5
      )
      return { send: () => undefined, onMessage: () => undefined, onExit: (listener) => void exit.push(listener), kill: () => undefined }
    }
    const statuses: EngineStatus[] = []
    const failingHost = createStudioHost({
      transport: 'electron',
      settings: memorySettingsStore(),
      launchEngine: failing,
      allowedRoots: [],
      restartPolicy: new RestartPolicy({ firstDelayMs: 10 })
    })
    failingHost.subscribe((event, payload) => event === 'engine:status' && statuses.push(payload as EngineStatus))
    try {
      const info = await failingHost.invoke('engineInfo', undefined)
      expect(info).toEqual({
        error: {
          code: 'engine-stopped',
          message: 'the engine is not running: the engine process exited with code 1: engine failed to start: no backend loads'
        }
      })
      expect(forks).toBe(3)
      expect(statuses.at(-1)).toEqual({
        state: 'stopped',
        crash: { message: 'the engine process exited with code 1: engine failed to start: no backend loads' }
      })
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(forks).toBe(3)
      expect(await failingHost.invoke('engineRestart', undefined)).toMatchObject({ result: { state: 'restarting' } })
      await expect.poll(() => statuses.at(-1)?.state).toBe('stopped')
      expect(forks).toBe(6)
    } finally {
      await failingHost.dispose()
    }
  })
})

describe('studio host with native dialogs', () => {
  it('asks where to save an export made without a path, in the default export folder, and writes there', async () => {
    const chosen: string[] = []
    let answer: string | null = path.join(allowed, 'picked.png')
    const exports = path.join(root, 'Pictures', 'VAE Studio', 'exports')
    const dialogHost = createStudioHost({
      transport: 'electron',
      settings: memorySettingsStore(),
      launchEngine: () => forkEngine(),
      allowedRoots: [],
      exportFolder: () => exports,
      pickSaveFile: async (name) => {
        chosen.push(name)
        return answer
      }
    })
    try {
      const image = { width: 2, height: 2, channels: 1 as const, pixels: new Uint8Array([0, 80, 160, 255]) }
      const saved = await dialogHost.invoke('exportPng', { images: [image], columns: 1 })
      expect(saved).toMatchObject({ result: { path: answer } })
      expect((await fs.stat(answer!)).size).toBeGreaterThan(0)
      expect(chosen).toEqual([path.join(exports, 'vae-studio.png')])
      expect((await fs.stat(exports)).isDirectory()).toBe(true)
      // The dialog allowed that one file, not its folder.
      expect(errorOf(await dialogHost.invoke('filesList', { path: allowed }))?.code).toBe('forbidden-path')
      answer = null
      expect(await dialogHost.invoke('exportPng', { images: [image], columns: 1 })).toMatchObject({ result: { path: null } })
    } finally {
      await dialogHost.dispose()
    }
  })

  it('opens the folder dialog of an export in the default export folder, and others where the system likes', async () => {
    const asked: Array<[string, string | undefined]> = []
    const exports = path.join(root, 'dialog-exports', 'Faces')
    const dialogHost = createStudioHost({
      transport: 'electron',
      settings: memorySettingsStore(),
      launchEngine: () => forkEngine(),
      allowedRoots: [],
      exportFolder: () => exports,
      pickFolder: async (purpose, defaultPath) => {
        asked.push([purpose, defaultPath])
        return null
      }
    })
    try {
      await dialogHost.invoke('dialogPickFolder', { purpose: 'export-samples' })
      await dialogHost.invoke('dialogPickFolder', { purpose: 'import' })
      expect(asked).toEqual([
        ['export-samples', exports],
        ['import', undefined]
      ])
      expect((await fs.stat(exports)).isDirectory()).toBe(true)
    } finally {
      await dialogHost.dispose()
    }
  })

  it('reads ~ in the folder chooser as the home folder', async () => {
    const homeHost = createStudioHost({
      transport: 'serve',
      settings: memorySettingsStore(),
      launchEngine: () => forkEngine(),
      allowedRoots: [homedir()]
    })
    try {
      expect(await homeHost.invoke('filesList', { path: '~' })).toMatchObject({
        result: { path: realpathSync(homedir()), parent: null }
      })
    } finally {
      await homeHost.dispose()
    }
  })
})

describe('the in-page folder chooser’s places', () => {
  it('offers the labelled folders, the command that adds one, and opens exports in a visible folder it makes', async () => {
    const home = path.join(root, 'home')
    const started = path.join(home, 'work')
    await fs.mkdir(started, { recursive: true })
    const placesHost = createStudioHost({
      transport: 'serve',
      settings: memorySettingsStore(),
      launchEngine: () => forkEngine(),
      allowedRoots: [
        { label: 'Home', path: home },
        { label: 'Where the studio started', path: started }
      ],
      allowCommand: (folder) => `npm run serve -- --allow ${folder ?? '<folder>'}`,
      exportFolder: (project) => path.join(home, 'Pictures', 'VAE Studio', project === null ? 'none' : 'a project')
    })
    try {
      const places = [
        { label: 'Home', path: realpathSync(home) },
        { label: 'Where the studio started', path: realpathSync(started) }
      ]
      expect(await placesHost.invoke('filesPlaces', { purpose: 'import' })).toEqual({
        result: { places, howToAdd: 'npm run serve -- --allow <folder>', start: null }
      })
      const exports = path.join(home, 'Pictures', 'VAE Studio', 'none')
      expect(await placesHost.invoke('filesPlaces', { purpose: 'export-samples' })).toMatchObject({ result: { start: exports } })
      expect(await placesHost.invoke('filesList', { path: exports })).toMatchObject({
        result: { path: realpathSync(exports), parent: realpathSync(path.dirname(exports)), entries: [] }
      })
      // The folder the studio was started in is inside home: "Up" leads there; home itself is the top.
      expect(await placesHost.invoke('filesList', { path: started })).toMatchObject({ result: { parent: realpathSync(home) } })
      expect(await placesHost.invoke('filesList', { path: home })).toMatchObject({ result: { parent: null } })
      const refused = errorOf(await placesHost.invoke('filesList', { path: outside }))
      expect(refused).toEqual({
        code: 'forbidden-path',
        message:
          `${outside} is outside the folders this studio may open; it can open ${places[0].path} (home), ${places[1].path} (where the studio started). ` +
          `To open it, stop the studio (Ctrl+C where it runs) and start it again with: npm run serve -- --allow ${outside}`
      })
    } finally {
      await placesHost.dispose()
    }
  })

  it('neither makes nor offers a default export folder the chooser may not show', async () => {
    const placesHost = createStudioHost({
      transport: 'serve',
      settings: memorySettingsStore(),
      launchEngine: () => forkEngine(),
      allowedRoots: [allowed],
      exportFolder: () => path.join(outside, 'VAE Studio')
    })
    try {
      expect(await placesHost.invoke('filesPlaces', { purpose: 'export-model' })).toMatchObject({ result: { start: null } })
      await expect(fs.stat(path.join(outside, 'VAE Studio'))).rejects.toThrow()
    } finally {
      await placesHost.dispose()
    }
  })
})
