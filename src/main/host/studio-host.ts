/**
 * The host implements the contract for both transports: it validates every request against the
 * contract's schema, confines the fields the contract marks as paths to the folders the user
 * chose, asks where to save exports sent without a path, answers its own methods (settings,
 * dialogs, folder listings, the engine's status) and passes the rest to the engine process.
 */
import { promises as fs } from 'node:fs'
import { homedir } from 'node:os'
import * as path from 'node:path'
import {
  isMethodName,
  methods,
  type ContractMethod,
  type DirEntry,
  type FolderPlaces,
  type FolderPurpose,
  type Handlers,
  type HostMethod
} from '../../shared/contract'
import { StudioError, toEnvelopeError, type Envelope } from '../../shared/errors'
import { EngineClient } from './engine-client'
import { throttleEvents } from './event-throttle'
import { defaultExportFolder } from './export-folder'
import { PathPolicy } from './path-policy'
import { existingProjects, withRecent } from './recent-projects'
import type { EventListener, HostOptions, StudioHost } from './types'

/** `~` in the folder chooser stands for the home folder, where serve mode's chooser starts. */
function expandHome(target: string): string {
  return target === '~' || target.startsWith('~/') ? path.join(homedir(), target.slice(1)) : target
}

function invalid(method: string, issues: Array<{ path: PropertyKey[]; message: string }>): StudioError {
  const detail = issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
  return new StudioError('invalid-request', `invalid ${method} request: ${detail}`)
}

export function createStudioHost(options: HostOptions): StudioHost {
  // A project the user opened before was chosen then: it reopens after a restart of the app.
  const policy = new PathPolicy([...options.allowedRoots, ...existingProjects(options.settings.get().recentProjects)], {
    allowCommand: options.allowCommand
  })
  const exportFolder = options.exportFolder ?? defaultExportFolder
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
  // Whoever opened it, the engine's project is the one to reopen after a crash and to list first.
  engine.subscribe((event, payload) => {
    if (event !== 'project:changed') return
    openProject = (payload as { path: string }).path
    options.settings.set({ recentProjects: withRecent(options.settings.get().recentProjects, openProject) })
  })

  const hostHandlers: Handlers<HostMethod> = {
    engineStatus: async () => engine.status(),
    engineRestart: async () => engine.restart(),
    settingsGet: async () => options.settings.get(),
    settingsSet: async (patch) => options.settings.set(patch),
    projectRecent: async () => existingProjects(options.settings.get().recentProjects),
    dialogPickFolder: async (req) => {
      if (!options.pickFolder) return null
      const folder = await options.pickFolder(req.purpose, (await exportsStart(req.purpose)) ?? undefined)
      if (folder) policy.allow(folder)
      return folder
    },
    filesList: async (req) => listFolder(expandHome(req.path), policy),
    filesPlaces: async (req): Promise<FolderPlaces> => ({
      places: policy.places(),
      howToAdd: policy.howToAllow(),
      start: await exportsStart(req.purpose)
    })
  }

  /**
   * Exports start in the default export folder, made on the way (it is where a person looks for
   * pictures, never the studio's hidden data folder); null for other purposes, or where it cannot
   * be made or may not be shown.
   */
  async function exportsStart(purpose: FolderPurpose): Promise<string | null> {
    if (purpose !== 'export-model' && purpose !== 'export-samples') return null
    const folder = exportFolder(openProject)
    if (!options.pickFolder && !policy.allows(folder)) return null
    const made = await fs.mkdir(folder, { recursive: true }).then(
      () => true,
      () => false
    )
    return made ? folder : null
  }

  /** An export sent without a path: the desktop app asks where; a cancelled dialog writes nothing. */
  async function chooseSaveFile(suggested: string, request: { path?: string }): Promise<boolean> {
    if (!options.pickSaveFile || request.path !== undefined) return true
    const folder = exportFolder(openProject)
    await fs.mkdir(folder, { recursive: true }).catch(() => undefined)
    const chosen = await options.pickSaveFile(path.join(folder, suggested))
    if (!chosen) return false
    policy.allow(chosen)
    request.path = chosen
    return true
  }

  let sequenceRunning: Promise<unknown> = Promise.resolve()

  async function invoke(method: string, payload: unknown, inSequence = false): Promise<Envelope<unknown>> {
    try {
      if (!isMethodName(method)) throw new StudioError('invalid-request', `unknown method "${String(method).slice(0, 100)}"`)
      const spec: ContractMethod = methods[method]
      if (!inSequence && spec.changesProject) await sequenceRunning.catch(() => undefined)
      const parsed = spec.request.safeParse(payload)
      if (!parsed.success) throw invalid(method, parsed.error.issues)
      const request = parsed.data as never
      for (const target of spec.paths?.(request) ?? []) if (target !== undefined) policy.check(target)
      if (spec.saveAs && !(await chooseSaveFile(spec.saveAs(request), request))) return { result: { path: null, bytes: new Uint8Array() } }
      if (spec.runs === 'host') return { result: await (hostHandlers[method as HostMethod] as (req: unknown) => Promise<unknown>)(request) }
      return await engine.request(method, request)
    } catch (err) {
      return toEnvelopeError(err)
    }
  }

  return {
    invoke: (method, payload) => invoke(method, payload),
    sequence<T>(steps: (invoke: StudioHost['invoke']) => Promise<T>): Promise<T> {
      const running = sequenceRunning.catch(() => undefined).then(() => steps((method, payload) => invoke(method, payload, true)))
      sequenceRunning = running
      return running
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    allowRoot(folder: string, label?: string): void {
      policy.allow(folder, label)
    },
    async dispose(): Promise<void> {
      fanOut.flush()
      await engine.dispose()
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
  return { path: real, parent: policy.parentOf(real), entries }
}
