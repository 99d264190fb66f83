/**
 * Hardening, part 6b: the preload as shipped (`out/preload/index.js`, which CI builds before the
 * unit tests), run in a fresh V8 context the way Electron runs a sandboxed preload: a `require`
 * that knows only `electron`, here a recording stand-in. It must expose exactly one thing,
 * `window.studio`, whose requests reach only the contract's IPC channels and never hand out
 * `ipcRenderer` itself. Where the built file is missing or older than its sources, the preload
 * is bundled from the sources the same way (one CommonJS file, `electron` left external).
 */
import { existsSync, promises as fs, statSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as vm from 'node:vm'
import { build } from 'vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { ipcChannels } from '../../src/shared/transport/ipc-channels'
import { bridgeChannels } from '../../src/shared/transport/studio-bridge'

const repoRoot = path.resolve(__dirname, '../..')
const builtPreload = path.join(repoRoot, 'out', 'preload', 'index.js')

/** The built preload if it is at least as new as every source it was bundled from (rolldown names them in comments). */
async function freshBuild(): Promise<string | null> {
  if (!existsSync(builtPreload)) return null
  const code = await fs.readFile(builtPreload, 'utf8')
  const sources = [...code.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((m) => path.join(repoRoot, m[1]))
  if (sources.length === 0) return null
  const builtAt = statSync(builtPreload).mtimeMs
  return sources.every((file) => existsSync(file) && statSync(file).mtimeMs <= builtAt) ? code : null
}

async function bundleFromSources(): Promise<string> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-preload-'))
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      root: repoRoot,
      ssr: { noExternal: true, external: ['electron'] },
      build: {
        ssr: path.join(repoRoot, 'src', 'preload', 'index.ts'),
        outDir,
        target: 'node20',
        minify: false,
        rolldownOptions: { external: ['electron'], output: { format: 'cjs', entryFileNames: 'index.js' } }
      }
    })
    return await fs.readFile(path.join(outDir, 'index.js'), 'utf8')
  } finally {
    await fs.rm(outDir, { recursive: true, force: true })
  }
}

interface Loaded {
  exposed: Array<[string, unknown]>
  required: string[]
  invoked: Array<[string, unknown]>
  sent: Array<[string, unknown]>
  ipcListeners: Map<string, (event: unknown, message: unknown) => void>
  ipcRenderer: object
  context: vm.Context
  globalsBefore: string[]
}

function runPreload(code: string): Loaded {
  const loaded: Omit<Loaded, 'context' | 'globalsBefore'> = {
    exposed: [],
    required: [],
    invoked: [],
    sent: [],
    ipcListeners: new Map(),
    ipcRenderer: {}
  }
  const ipcRenderer = {
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => void loaded.ipcListeners.set(channel, listener),
    invoke: async (channel: string, payload: unknown) => (loaded.invoked.push([channel, payload]), { result: channel }),
    send: (channel: string, payload: unknown) => void loaded.sent.push([channel, payload])
  }
  loaded.ipcRenderer = ipcRenderer
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void loaded.exposed.push([key, api]) },
    ipcRenderer,
    webUtils: { getPathForFile: (file: { fakePath?: string }) => file.fakePath ?? '' }
  }
  const context = vm.createContext({ console: { error: () => undefined, log: () => undefined, warn: () => undefined } })
  const globalsBefore = Object.getOwnPropertyNames(vm.runInContext('globalThis', context)).sort()
  const require = (id: string): unknown => {
    loaded.required.push(id)
    if (id === 'electron') return electron
    throw new Error(`a sandboxed preload cannot require ${id}`)
  }
  const module = { exports: {} }
  const wrapped = vm.runInContext(`(function (require, module, exports) {\n${code}\n})`, context, { filename: 'preload/index.js' }) as (
    ...args: unknown[]
  ) => void
  wrapped(require, module, module.exports)
  return { ...loaded, context, globalsBefore }
}

let code: string
let source: string
let loaded: Loaded
let studio: {
  invoke(method: string, payload: unknown): Promise<unknown>
  subscribe(event: string, listener: (payload: unknown) => void): () => void
  pathForFile(file: unknown): string
}

beforeAll(async () => {
  const built = await freshBuild()
  source = built ? 'out/preload/index.js' : 'a bundle of src/preload (out/ is missing or older than its sources)'
  code = built ?? (await bundleFromSources())
  loaded = runPreload(code)
  studio = loaded.exposed[0]?.[1] as typeof studio
}, 60_000)

describe(`Electron preload, run as sandboxed`, () => {
  it('requires nothing but electron, and exposes exactly one thing: window.studio', () => {
    console.info(`preload under test: ${source}`)
    expect(new Set(loaded.required)).toEqual(new Set(['electron']))
    expect(loaded.exposed.map(([key]) => key)).toEqual(['studio'])
    // Nothing leaks into the isolated world's globals either, but the registry of the bundled zod.
    const added = Object.getOwnPropertyNames(vm.runInContext('globalThis', loaded.context)).filter(
      (name) => !loaded.globalsBefore.includes(name)
    )
    expect(added.sort()).toEqual(['__zod_globalConfig', '__zod_globalRegistry'])
  })

  it('window.studio has three functions and holds no Electron object', () => {
    expect(Object.keys(studio).sort()).toEqual(['invoke', 'pathForFile', 'subscribe'])
    for (const value of Object.values(studio)) expect(typeof value).toBe('function')
    const unsubscribe = studio.subscribe('train:state', () => undefined)
    for (const value of [...Object.values(studio), unsubscribe]) {
      expect(value).not.toBe(loaded.ipcRenderer)
      expect(Object.values(value as object)).not.toContain(loaded.ipcRenderer)
    }
    unsubscribe()
  })

  it('sends each contract method to its IPC channel and refuses every other name without touching IPC', async () => {
    for (const [method, channel] of ipcChannels) await expect(studio.invoke(method, { x: 1 })).resolves.toEqual({ result: channel })
    expect(loaded.invoked.map(([channel]) => channel)).toEqual([...ipcChannels.values()])
    loaded.invoked.length = 0
    for (const name of [
      'shellExec',
      'engine:info',
      bridgeChannels.allowDropped,
      bridgeChannels.event,
      '__proto__',
      'constructor',
      'toString',
      '',
      'ENGINEINFO'
    ]) {
      await expect(studio.invoke(name, {})).resolves.toMatchObject({ error: { code: 'invalid-request' } })
    }
    expect(loaded.invoked).toEqual([])
  })

  it('delivers host events to subscribers, survives a throwing one, and stops after unsubscribe', () => {
    const seen: unknown[] = []
    const bad = studio.subscribe('train:state', () => {
      throw new Error('a broken listener')
    })
    const unsubscribe = studio.subscribe('train:state', (payload) => seen.push(payload))
    const deliver = loaded.ipcListeners.get(bridgeChannels.event)!
    deliver({}, { event: 'train:state', payload: { state: 'running' } })
    deliver({}, { event: 'train:progress', payload: { step: 1 } })
    unsubscribe()
    bad()
    deliver({}, { event: 'train:state', payload: { state: 'stopped' } })
    expect(seen).toEqual([{ state: 'running' }])
    expect([...loaded.ipcListeners.keys()]).toEqual([bridgeChannels.event])
  })

  it('turns a dropped file into its path and tells the main process, nothing else', () => {
    expect(studio.pathForFile({ fakePath: '/home/me/faces' })).toBe('/home/me/faces')
    expect(studio.pathForFile({})).toBe('')
    expect(loaded.sent).toEqual([[bridgeChannels.allowDropped, '/home/me/faces']])
  })
})
