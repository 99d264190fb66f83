/**
 * The renderer's root state: one instance per window, composing the stores. Each store declares
 * the events it listens to and resets itself on a project change (store-events.ts); Studio only
 * subscribes them and listens to what is its own (engine status, menu commands, the connection).
 * Components receive the stores they show as props.
 */
import type { EngineInfo, FolderPurpose, StudioApi } from '../../../shared/contract'
import type { EngineStatus } from '../../../shared/events'
import type { AppCommand } from '../../../shared/transport/app-command'
import type { StudioConnection } from '../lib/api'
import { browserFolderMemory, type FolderMemory } from '../lib/folder-memory'
import { projectName } from '../lib/paths'
import { DatasetStore } from './dataset.svelte'
import { Exporter } from './exporter.svelte'
import { FolderChooser } from './folder-chooser.svelte'
import { LatentStore } from './latent.svelte'
import { Notices } from './notices.svelte'
import { ProjectStore } from './project.svelte'
import { QualityStore } from './quality.svelte'
import { listen, type StoreEvents, type StudioStore } from './store-events'
import { ToolsStore } from './tools/tools.svelte'
import { TrainingStore } from './training.svelte'

export const views = ['dataset', 'train', 'latent', 'tools', 'export'] as const
export type ViewName = (typeof views)[number]

/** What requests fail with while the engine is down, which the crash banner says. */
const engineDown = ['engine-crashed', 'engine-stopped']

export class Studio {
  view = $state<ViewName>('dataset')
  info = $state.raw<EngineInfo | null>(null)
  engine = $state.raw<EngineStatus>({ state: 'starting', crash: null })
  /** The crash the user dismissed; a later one shows again. */
  dismissedCrash = $state.raw<EngineStatus['crash']>(null)
  theme = $state<'system' | 'light' | 'dark'>('system')
  /**
   * False while the serve-mode WebSocket is down (it reconnects by itself): every request fails
   * then, and the connection banner says why once, so their errors are not shown as notices.
   */
  connected = $state(true)
  readonly notices = new Notices()
  readonly chooser: FolderChooser
  readonly project: ProjectStore
  readonly dataset: DatasetStore
  readonly training: TrainingStore
  readonly quality: QualityStore
  readonly latent: LatentStore
  readonly exporter: Exporter
  readonly tools: ToolsStore
  private statusEvents = 0
  private readonly unsubscribers: Array<() => void> = []
  private readonly api: StudioApi
  /** What the studio itself listens to; the stores declare their own. */
  private readonly events: StoreEvents = {
    'engine:status': (status) => this.engineChanged(status),
    'app:command': (command) => void this.runCommand(command)
  }

  /** @param folders where the page's chooser opens (the folder the user last chose in it). */
  constructor(
    private readonly connection: StudioConnection,
    private readonly folders: FolderMemory = browserFolderMemory()
  ) {
    const api = connection.api
    this.api = api
    this.chooser = new FolderChooser(api)
    this.project = new ProjectStore(api, this.notices)
    this.dataset = new DatasetStore(api, this.notices, this.project)
    this.training = new TrainingStore(api, this.notices)
    this.quality = new QualityStore(api, this.notices)
    this.latent = new LatentStore(api, this.notices)
    this.exporter = new Exporter(api, this.notices, connection.desktop)
    this.tools = new ToolsStore(api, this.notices, this.exporter)
    this.notices.leaveToBanners(
      (code) => !this.connected || (code !== undefined && engineDown.includes(code) && this.visibleCrash !== null)
    )
    this.project.onChange((change) => {
      for (const store of this.stores()) void store.reset(change)
    })
  }

  private stores(): StudioStore[] {
    return [this.dataset, this.training, this.quality, this.latent, this.exporter, this.tools]
  }

  /** Subscribes to events first, so nothing that happens while loading is missed. */
  async start(): Promise<void> {
    this.unsubscribers.push(
      ...this.stores().map((store) => listen(this.api, store.events)),
      listen(this.api, this.project.events),
      listen(this.api, this.events),
      this.connection.onConnectionChange((connected) => {
        this.connected = connected
        // Events sent while the connection was down are lost: re-read everything.
        if (connected) void this.load()
      })
    )
    await this.load()
  }

  private async load(): Promise<void> {
    const [, info, settings] = await Promise.all([
      this.loadEngineStatus(),
      this.notices.guard('Could not reach the engine', () => this.api.engineInfo()),
      this.notices.guard('Could not read the settings', () => this.api.settingsGet())
    ])
    this.info = info ?? null
    if (settings) {
      this.theme = settings.theme
      this.dataset.options = { ...settings.lastImportOptions }
    }
    await this.project.load()
  }

  /** An answer asked for before a status event arrived is older than that event, and dropped. */
  private async loadEngineStatus(): Promise<void> {
    const eventsBefore = this.statusEvents
    const status = await this.notices.guard('Could not ask for the engine', () => this.api.engineStatus())
    if (status && this.statusEvents === eventsBefore) this.engine = status
  }

  /** The crash banner's text comes from here; a fresh engine after a crash re-reads everything. */
  private engineChanged(status: EngineStatus): void {
    this.statusEvents++
    const recovered = status.state === 'ready' && this.engine.state !== 'ready' && status.crash !== null
    this.engine = status
    // Requests that failed with the engine before its status came are said by the banner now.
    if (this.visibleCrash) this.notices.dismissErrors(engineDown)
    if (recovered) void this.load()
  }

  get visibleCrash(): EngineStatus['crash'] {
    const crash = this.engine.crash
    return crash && crash !== this.dismissedCrash ? crash : null
  }

  async restartEngine(): Promise<void> {
    const status = await this.notices.guard('Could not restart the engine', () => this.api.engineRestart())
    if (status) this.engine = status
  }

  /** A command from the desktop app's menu (or a second launch), run as the page's own buttons would. */
  async runCommand(command: AppCommand): Promise<void> {
    switch (command.command) {
      case 'new-project':
        return this.newProject()
      case 'open-project':
        return this.openProject(command.path)
      case 'save':
        if (this.project.current) return this.project.save()
        this.notices.info('Nothing to save', 'No project is open.')
        return
      case 'export':
        if (this.project.current) this.view = 'export'
        else this.notices.info('Nothing to export', 'Open or create a project first.')
        return
      case 'startup-failed':
        this.notices.error('Could not open the start-up project', new Error(command.message))
    }
  }

  stop(): void {
    for (const off of this.unsubscribers.splice(0)) off()
  }

  async setTheme(theme: 'system' | 'light' | 'dark'): Promise<void> {
    this.theme = theme
    await this.notices.guard('Could not save the theme', () => this.api.settingsSet({ theme }))
  }

  /** The desktop app (native dialogs, exports saved by the app), rather than a browser tab. */
  get desktop(): boolean {
    return this.connection.desktop
  }

  /** Desktop app: a folder dropped on the page is imported; the page cannot see paths in a browser. */
  get canDropFolders(): boolean {
    return this.connection.pathForFile !== null
  }

  async importDropped(file: File): Promise<void> {
    const path = this.connection.pathForFile?.(file)
    if (path) await this.dataset.importFolder(path)
  }

  /**
   * The native dialog where there is one; in serve mode the host answers null and the page's
   * own chooser asks instead. In the desktop app null means the user cancelled.
   */
  async pickFolder(purpose: FolderPurpose): Promise<string | null> {
    const picked = await this.notices.guard('Could not open the folder dialog', () => this.api.dialogPickFolder({ purpose }))
    if (picked === undefined) return null
    if (picked !== null || this.connection.desktop) return picked
    // Home the first time (not the studio's own projects folder, where the demo project lives).
    const chosen = await this.chooser.ask(purpose, this.folders.get() ?? '~')
    if (chosen) this.folders.set(this.chooser.path)
    return chosen
  }

  /**
   * In the page's chooser the user names the project as they pick its place; the desktop's
   * native dialog only picks the place (unless the user made a `.vaeproj` folder there), so the
   * name is asked afterwards.
   */
  async newProject(): Promise<void> {
    const picked = await this.pickFolder('new-project')
    if (!picked) return
    const folder = this.connection.desktop && !/\.vaeproj$/i.test(picked) ? await this.chooser.askName(picked) : picked
    if (folder) await this.project.create(folder, projectName(folder))
  }

  async openProject(path?: string): Promise<void> {
    const folder = path ?? (await this.pickFolder('open-project'))
    if (folder) await this.project.open(folder)
  }

  /** Exports the model into a folder the user picks (in the page's chooser: a new one, named there). */
  async exportModel(): Promise<void> {
    const name = this.project.current?.name
    if (name) this.chooser.exportName = `${name}-tfjs`
    const folder = await this.pickFolder('export-model')
    if (folder) await this.exporter.exportModel(folder)
  }

  /** Generated faces as files into a folder the user picks (in the page's chooser: a new one, named there). */
  async exportSamples(): Promise<void> {
    const name = this.project.current?.name
    if (name) this.chooser.exportName = `${name}-generated`
    const folder = await this.pickFolder('export-samples')
    if (folder) await this.exporter.exportSamples(folder)
  }

  /** A PNG exported by the studio, read in the page: its code goes back on the latent canvas. */
  async restorePng(file: File): Promise<void> {
    const png = new Uint8Array(await file.arrayBuffer())
    if (await this.latent.restoreFromPng(png)) this.view = 'latent'
  }

  /** The memorisation check for the latent canvas's current image, shown in the Tools view. */
  async checkNearest(): Promise<void> {
    const current = this.latent.current
    if (!current) return
    this.tools.select('nearest')
    this.view = 'tools'
    await this.tools.nearest.check(current.z, current.image, 'latent canvas')
  }

  async importFolder(): Promise<void> {
    const folder = await this.pickFolder('import')
    if (folder) await this.dataset.importFolder(folder)
  }
}
