import { promises as fs, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channels } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import type { StudioEvents } from '../../shared/events'
import type { EngineChannel, EngineToHost } from '../engine/process/protocol'
import { tempDir } from '../engine/testing/small-setup'
import { defaultSettings, mergeSettings } from '../serve/settings-values'
import { forkEngine } from './fork-engine'
import { createStudioHost } from './studio-host'
import type { SettingsStore, StudioHost } from './types'

let root: string
let allowed: string
let outside: string

function memorySettings(): SettingsStore {
  let settings = defaultSettings()
  return { get: () => settings, set: (patch) => (settings = mergeSettings(settings, patch)) }
}

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
  host = createStudioHost({ transport: 'serve', settings: memorySettings(), launchEngine: engines.launch, allowedRoots: [allowed] })
  host.subscribe((event, payload) => events.push({ event, payload }))
})

afterAll(async () => {
  await host.dispose()
  await fs.rm(root, { recursive: true, force: true })
})

describe('studio host', () => {
  it('answers engine info with the transport', async () => {
    const info = await host.invoke(channels.engineInfo, undefined)
    expect(info).toMatchObject({ result: { transport: 'serve', backend: 'wasm' } })
  })

  it('refuses malformed requests with a validation error and keeps working', async () => {
    const bad: Array<[string, unknown]> = [
      ['no:such-channel', {}],
      [channels.modelDecode, { z: 'zeros' }],
      [channels.modelDecode, { z: [[Number.NaN, 0]] }],
      [channels.modelDecode, { z: Array.from({ length: 5000 }, () => [0, 0]) }],
      [channels.modelSample, { count: 4, temperature: 1 }],
      [channels.modelSample, { count: -1, temperature: 1, seed: 1 }],
      [channels.trainSetBeta, { beta: '2' }],
      [channels.trainStart, { model: {}, train: {}, extra: true }],
      [channels.projectOpen, JSON.parse('{"path": "/x", "__proto__": {"polluted": true}}')],
      [channels.settingsSet, { recentProjects: ['/'] }],
      [channels.datasetImport, { folder: allowed, options: { size: 100 } }],
      [channels.exportPng, { images: [{ width: 2, height: 2, channels: 3, pixels: new Uint8Array(3) }], columns: 1 }]
    ]
    for (const [channel, payload] of bad) {
      const error = errorOf(await host.invoke(channel, payload))
      expect(error?.code, `${channel} ${JSON.stringify(payload)?.slice(0, 80)}`).toBe('invalid-request')
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect('result' in (await host.invoke(channels.settingsGet, undefined))).toBe(true)
  })

  it('keeps file access inside the folders the user chose', async () => {
    for (const target of [outside, path.join(allowed, 'escape'), path.join(allowed, '..', 'elsewhere'), '/etc']) {
      const error = errorOf(await host.invoke(channels.projectCreate, { path: path.join(target, 'p.vaeproj') }))
      expect(error?.code, target).toBe('forbidden-path')
    }
    expect(errorOf(await host.invoke(channels.filesList, { path: outside }))?.code).toBe('forbidden-path')
    const listing = await host.invoke(channels.filesList, { path: allowed })
    // Links are not offered: one leading outside would only be refused.
    expect(listing).toMatchObject({ result: { parent: null, entries: [{ name: 'photos', kind: 'dir' }] } })
    host.allowRoot(outside)
    expect(errorOf(await host.invoke(channels.filesList, { path: outside }))).toBeNull()
  })

  it('remembers opened projects, and restarts a crashed engine with the project reopened', async () => {
    const project = path.join(allowed, 'faces.vaeproj')
    expect(errorOf(await host.invoke(channels.projectCreate, { path: project }))).toBeNull()
    expect(errorOf(await host.invoke(channels.datasetDemo, { count: 16, seed: 1 }))).toBeNull()
    expect((await host.invoke(channels.projectRecent, undefined)) as unknown).toEqual({ result: [project] })

    engines.launched.at(-1)!.kill()
    await expect.poll(() => events.filter((e) => e.event === 'engine:crash').map((e) => (e.payload as { restarted: boolean }).restarted), { timeout: 60_000 }).toEqual([
      false,
      true
    ])
    expect(engines.launched).toHaveLength(2)
    const current = await host.invoke(channels.projectCurrent, undefined)
    expect(current).toMatchObject({ result: { path: project, imageCount: 16 } })
  })
})

describe('studio host with native dialogs', () => {
  it('asks where to save an export made without a path, and writes there', async () => {
    const chosen: string[] = []
    let answer: string | null = path.join(allowed, 'picked.png')
    const dialogHost = createStudioHost({
      transport: 'electron',
      settings: memorySettings(),
      launchEngine: () => forkEngine(),
      allowedRoots: [],
      pickSaveFile: async (name) => {
        chosen.push(name)
        return answer
      }
    })
    try {
      const image = { width: 2, height: 2, channels: 1 as const, pixels: new Uint8Array([0, 80, 160, 255]) }
      const saved = await dialogHost.invoke(channels.exportPng, { images: [image], columns: 1 })
      expect(saved).toMatchObject({ result: { path: answer } })
      expect((await fs.stat(answer!)).size).toBeGreaterThan(0)
      expect(chosen).toEqual(['vae-studio.png'])
      // The dialog allowed that one file, not its folder.
      expect(errorOf(await dialogHost.invoke(channels.filesList, { path: allowed }))?.code).toBe('forbidden-path')
      answer = null
      expect(await dialogHost.invoke(channels.exportPng, { images: [image], columns: 1 })).toMatchObject({ result: { path: null } })
    } finally {
      await dialogHost.dispose()
    }
  })

  it('reads ~ in the folder chooser as the home folder', async () => {
    const homeHost = createStudioHost({ transport: 'serve', settings: memorySettings(), launchEngine: () => forkEngine(), allowedRoots: [homedir()] })
    try {
      expect(await homeHost.invoke(channels.filesList, { path: '~' })).toMatchObject({ result: { path: realpathSync(homedir()), parent: null } })
    } finally {
      await homeHost.dispose()
    }
  })
})
