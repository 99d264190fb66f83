/**
 * The open project and the recent-projects list. It is where project changes come from: every
 * other store gets them through its `reset` hook (see store-events.ts).
 */
import type { ProjectSummary, StudioApi } from '../../../shared/contract'
import type { Notices } from './notices.svelte'
import type { ProjectChange, StoreEvents } from './store-events'

export class ProjectStore {
  current = $state.raw<ProjectSummary | null>(null)
  recent = $state<string[]>([])
  busy = $state(false)
  /** Counts projects shown from events, so an answer asked for before one cannot overwrite it. */
  private adopted = 0
  /** The project whose state the stores hold, to tell another project from the same one read again. */
  private shownPath: string | null = null
  private readonly listeners: Array<(change: ProjectChange) => void> = []

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {}

  readonly events: StoreEvents = {
    'project:changed': (p) => void this.adopt(p),
    // A run that ended wrote a checkpoint: the summary (and the latent map) changed.
    'train:state': (s) => {
      if (s.state !== 'running' && s.state !== 'paused') void this.refresh()
    }
  }

  /** Studio hands every change on to the stores' reset hooks. */
  onChange(listener: (change: ProjectChange) => void): void {
    this.listeners.push(listener)
  }

  async load(): Promise<void> {
    const adoptedBefore = this.adopted
    await this.notices.guard('Could not read the current project', async () => {
      const [current, recent] = await Promise.all([this.api.projectCurrent(), this.api.projectRecent()])
      this.recent = recent
      if (this.adopted === adoptedBefore) this.setOpened(current)
    })
  }

  /**
   * The engine opened, created or re-imported a project, whoever asked (the desktop app's start-up
   * project, a menu command, another tab): another project is shown as opened, the same one as changed.
   */
  async adopt(project: ProjectSummary): Promise<void> {
    this.adopted++
    if (project.path !== this.current?.path) {
      this.setOpened(project)
      this.recent = (await this.notices.guard('Could not read recent projects', () => this.api.projectRecent())) ?? this.recent
      return
    }
    this.current = project
    this.announce(project, 'updated')
  }

  async create(path: string, name?: string): Promise<boolean> {
    return this.run('Could not create the project', () => this.api.projectCreate(name ? { path, name } : { path }))
  }

  async open(path: string): Promise<boolean> {
    return this.run('Could not open the project', () => this.api.projectOpen({ path }))
  }

  async save(): Promise<void> {
    const saved = await this.notices.guard('Could not save the project', () => this.api.projectSave())
    if (saved) {
      this.current = saved
      this.notices.info('Project saved', saved.path)
    }
  }

  /** Re-reads the summary after work that changes it (import, training), without resetting views. */
  async refresh(): Promise<void> {
    const current = await this.notices.guard('Could not read the current project', () => this.api.projectCurrent())
    if (current === undefined) return
    this.current = current
    this.announce(current, 'updated')
  }

  private async run(title: string, action: () => Promise<ProjectSummary>): Promise<boolean> {
    this.busy = true
    try {
      const project = await this.notices.guard(title, action)
      if (!project) return false
      this.setOpened(project)
      this.recent = (await this.notices.guard('Could not read recent projects', () => this.api.projectRecent())) ?? this.recent
      return true
    } finally {
      this.busy = false
    }
  }

  private setOpened(project: ProjectSummary | null): void {
    this.current = project
    this.announce(project, project?.path === this.shownPath ? 'reloaded' : 'switched')
    this.shownPath = project?.path ?? null
  }

  private announce(project: ProjectSummary | null, kind: ProjectChange['kind']): void {
    for (const listener of this.listeners) listener({ project, kind })
  }
}
