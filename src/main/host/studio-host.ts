/**
 * The host implements the contract for both transports: it validates every request against its
 * schema, confines file paths to the folders the user chose, answers settings, dialogs and folder
 * listings itself, and forwards everything else to the engine process.
 */
import { promises as fs } from 'node:fs'
import { homedir } from 'node:os'
import * as path from 'node:path'
import { channels, requestSchemas, type DirEntry, type MethodName, type Request, type Settings } from '../../shared/contract'
import { StudioError, toEnvelopeError, unwrapEnvelope, type Envelope } from '../../shared/errors'
import { isEngineMethod } from '../engine/process/engine-methods'
import { EngineClient } from './engine-client'
import { throttleEvents } from './event-throttle'
import { PathPolicy } from './path-policy'
import { existingProjects, withRecent } from './recent-projects'
import type { EventListener, HostOptions, StudioHost } from './types'

/** Request fields that name files or folders, per method. */
const pathsOf: Partial<{ [M in MethodName]: (req: Request<M>) => Array<string | undefined> }> = {
  filesList: (req) => [expandHome(req.path)],
  projectCreate: (req) => [req.path],
  projectOpen: (req) => [req.path],
  datasetImport: (req) => [req.folder],
  exportPng: (req) => [req.path],
  exportCodePng: (req) => [req.path],
  exportAnimation: (req) => [req.path],
  exportModel: (req) => [req.folder]
}

/** Exports that write a file; without a path they ask the user where (when a dialog exists). */
const savedExports: Partial<Record<MethodName, { suggestedName: string; empty: object }>> = {
  exportPng: { suggestedName: 'vae-studio.png', empty: { path: null, png: new Uint8Array() } },
  exportCodePng: { suggestedName: 'vae-studio-code.png', empty: { path: null, png: new Uint8Array() } },
  exportAnimation: { suggestedName: 'vae-studio.gif', empty: { path: null, bytes: new Uint8Array() } }
}

/** `~` in the folder chooser stands for the home folder, where serve mode's chooser starts. */
function expandHome(target: string): string {
  return target === '~' || target.startsWith('~/') ? path.join(homedir(), target.slice(1)) : target
}

const methodByChannel = new Map<string, MethodName>(Object.entries(channels).map(([method, channel]) => [channel, method as MethodName]))

export function createStudioHost(options: HostOptions): StudioHost {
  // A project the user opened before was chosen then: it reopens after a restart of the app.
  const policy = new PathPolicy([...options.allowedRoots, ...existingProjects(options.settings.get().recentProjects)])
  let openProject: string | null = null
  const engine = new EngineClient({
    launch: options.launchEngine,
    restartOnCrash: options.transport !== 'cli',
    restartPolicy: options.restartPolicy,
    onRestart: async (request) => {
      if (openProject) await request('projectOpen', { path: openProject })
    }
  })
  const listeners = new Set<EventListener>()
  const fanOut = throttleEvents((event, payload) => listeners.forEach((listener) => listener(event, payload)))
  engine.subscribe(fanOut)

  const remember = (projectPath: string): void => {
    openProject = projectPath
    options.settings.set({ recentProjects: withRecent(options.settings.get().recentProjects, projectPath) })
  }

  const local: Partial<{ [M in MethodName]: (req: Request<M>) => Promise<unknown> }> = {
    engineInfo: async () => ({ ...(unwrapEnvelope(await engine.request('engineInfo', undefined)) as object), transport: options.transport }),
    engineStatus: async () => engine.status(),
    engineRestart: async () => engine.restart(),
    settingsGet: async () => options.settings.get(),
    settingsSet: async (patch: Partial<Settings>) => options.settings.set(patch),
    projectRecent: async () => existingProjects(options.settings.get().recentProjects),
    dialogPickFolder: async (req) => {
      const folder = options.pickFolder ? await options.pickFolder(req.purpose) : null
      if (folder) policy.allow(folder)
      return folder
    },
    filesList: async (req) => listFolder(expandHome(req.path), policy)
  }

  return {
    async invoke(channel: string, payload: unknown): Promise<Envelope<unknown>> {
      try {
        const method = methodByChannel.get(channel)
        if (!method) throw new StudioError('invalid-request', `unknown channel "${String(channel).slice(0, 100)}"`)
        const parsed = requestSchemas[method].safeParse(payload)
        if (!parsed.success) {
          const detail = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
          throw new StudioError('invalid-request', `invalid ${channel} request: ${detail}`)
        }
        const request = parsed.data as Request<typeof method>
        for (const target of (pathsOf[method] as ((req: unknown) => Array<string | undefined>) | undefined)?.(request) ?? []) {
          if (target !== undefined) policy.check(target)
        }
        const saved = savedExports[method]
        const wanted = request as unknown as { path?: string; format?: string }
        if (saved && options.pickSaveFile && wanted.path === undefined) {
          const name = wanted.format ? saved.suggestedName.replace(/\.gif$/, `.${wanted.format}`) : saved.suggestedName
          const chosen = await options.pickSaveFile(name)
          if (!chosen) return { result: saved.empty }
          policy.allow(chosen)
          wanted.path = chosen
        }
        const handler = local[method] as ((req: unknown) => Promise<unknown>) | undefined
        if (handler) return { result: await handler(request) }
        if (!isEngineMethod(method)) throw new StudioError('internal', `no handler for ${channel}`)
        const envelope = await engine.request(method, request)
        if ((method === 'projectOpen' || method === 'projectCreate') && 'result' in envelope) remember((request as unknown as { path: string }).path)
        return envelope
      } catch (err) {
        return toEnvelopeError(err)
      }
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    allowRoot(folder: string): void {
      policy.allow(folder)
    },
    async dispose(): Promise<void> {
      fanOut.flush()
      engine.dispose()
    }
  }
}

/** Sub-folders (and image-looking files, for orientation) of an allowed folder, hidden ones left out. */
async function listFolder(target: string, policy: PathPolicy): Promise<{ path: string; parent: string | null; entries: DirEntry[] }> {
  const real = policy.check(target)
  const dirents = await fs.readdir(real, { withFileTypes: true })
  const entries: DirEntry[] = dirents
    .filter((d) => !d.name.startsWith('.') && (d.isDirectory() || d.isFile()))
    .map((d): DirEntry => ({ name: d.name, path: path.join(real, d.name), kind: d.isDirectory() ? 'dir' : 'file' }))
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
    .slice(0, 5000)
  const parent = policy.rootOf(real) ? null : path.dirname(real)
  return { path: real, parent, entries }
}
