import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultImportOptions, defaultTrainConfig } from '../../shared/config'
import { defaultConfigDir, openJsonSettingsStore } from './json-settings-store'

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-settings-'))
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

describe('json settings store', () => {
  it('starts from the defaults when there is no file', () => {
    const store = openJsonSettingsStore(path.join(dir, 'none'))
    expect(store.get()).toEqual({
      recentProjects: [],
      lastImportOptions: defaultImportOptions,
      lastTrainConfig: defaultTrainConfig,
      theme: 'system'
    })
  })

  it('persists changes atomically and reads them back', async () => {
    const configDir = path.join(dir, 'nested', 'vae-studio')
    const store = openJsonSettingsStore(configDir)
    expect(store.set({ theme: 'dark' }).theme).toBe('dark')
    const after = store.set({ recentProjects: ['/a/One.vaeproj'], lastTrainConfig: { ...defaultTrainConfig, beta: 4 } })
    expect(after).toMatchObject({ theme: 'dark', recentProjects: ['/a/One.vaeproj'] })
    await store.flush()
    expect(JSON.parse(await fs.readFile(store.file, 'utf8')).theme).toBe('dark')
    expect((await fs.readdir(configDir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
    const reopened = openJsonSettingsStore(configDir)
    expect(reopened.get()).toEqual(after)
    expect(reopened.get().lastTrainConfig.beta).toBe(4)
  })

  it('hands out copies, so callers cannot change the stored settings by accident', () => {
    const store = openJsonSettingsStore(dir)
    store.get().recentProjects.push('/x')
    expect(store.get().recentProjects).toEqual([])
  })

  it('keeps the good fields of an old or hand-edited file', async () => {
    await fs.writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ theme: 'purple', recentProjects: ['/p/A.vaeproj'], lastImportOptions: { size: 32 }, extra: 1 })
    )
    const settings = openJsonSettingsStore(dir).get()
    expect(settings.theme).toBe('system')
    expect(settings.recentProjects).toEqual(['/p/A.vaeproj'])
    expect(settings.lastImportOptions).toEqual({ ...defaultImportOptions, size: 32 })
    expect(settings).not.toHaveProperty('extra')
  })

  it('sets a corrupt file aside and starts over', async () => {
    await fs.writeFile(path.join(dir, 'settings.json'), '{"theme": "dark"')
    const store = openJsonSettingsStore(dir)
    expect(store.get().theme).toBe('system')
    expect(await fs.readFile(path.join(dir, 'settings.json.corrupt'), 'utf8')).toBe('{"theme": "dark"')
  })

  it('reports a failed write through flush', async () => {
    const blocker = path.join(dir, 'file-not-folder')
    await fs.writeFile(blocker, '')
    const store = openJsonSettingsStore(blocker)
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(warning.message)
    process.on('warning', onWarning)
    try {
      store.set({ theme: 'light' })
      await expect(store.flush()).rejects.toThrow()
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings.some((message) => message.includes('could not save settings'))).toBe(true)
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('finds its folder from VAE_STUDIO_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(defaultConfigDir({ VAE_STUDIO_CONFIG_DIR: '/tmp/x' })).toBe('/tmp/x')
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/vae-studio')
    expect(defaultConfigDir({})).toBe(path.join(os.homedir(), '.config', 'vae-studio'))
  })
})
