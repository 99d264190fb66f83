/**
 * Sample quality as the Train view shows it: every measurement of the open project (taken at
 * checkpoints while training, or asked for with "Measure now"), or why the metric does not apply.
 */
import type { ProjectSummary, QualityPoint, StudioApi } from '../../../shared/contract'
import type { QualityHistory } from '../../../shared/results'
import type { Notices } from './notices.svelte'
import type { ProjectChange, StoreEvents, StudioStore } from './store-events'

/** Samples compared with the real faces when the user asks; the background measurement uses fewer. */
const measureSamples = 256

export class QualityStore implements StudioStore {
  points = $state.raw<QualityPoint[]>([])
  applies = $state(false)
  /** Why the metric does not apply (not faces, no model yet); null while it does. */
  reason = $state<string | null>(null)
  measuring = $state(false)
  private loadedFor: string | null = null
  private loads = 0

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {}

  latest = $derived(this.points.length ? this.points[this.points.length - 1] : null)

  readonly events: StoreEvents = { 'quality:point': (p) => this.onPoint(p) }

  reset(change: ProjectChange): Promise<void> {
    return change.kind === 'updated' ? this.projectUpdated(change.project) : this.projectOpened(change.project)
  }

  private async projectOpened(project: ProjectSummary | null): Promise<void> {
    this.points = []
    this.applies = false
    this.reason = null
    this.loadedFor = project?.path ?? null
    if (project) await this.load()
  }

  /** A new checkpoint or a new dataset can change whether the metric applies. */
  private async projectUpdated(project: ProjectSummary | null): Promise<void> {
    if (project && project.path === this.loadedFor) await this.load()
  }

  /** Answers can cross (a reload during another, another project opened): only the latest one is kept, or said when it fails. */
  private async load(): Promise<void> {
    const load = ++this.loads
    let history: QualityHistory
    try {
      history = await this.api.qualityHistory()
    } catch (err) {
      if (load === this.loads) this.notices.error('Could not read the sample-quality history', err)
      return
    }
    if (load !== this.loads) return
    this.points = history.points
    this.applies = history.applies
    this.reason = history.applies ? null : (history.reason ?? 'the metric does not apply to these images')
  }

  onPoint(point: QualityPoint): void {
    this.points = [...this.points.filter((p) => p.step !== point.step), point].sort((a, b) => a.step - b.step)
    this.applies = true
    this.reason = null
  }

  async measure(): Promise<void> {
    if (this.measuring) return
    this.measuring = true
    try {
      const point = await this.notices.guard('Could not measure sample quality', () => this.api.qualityMeasure({ samples: measureSamples }))
      if (point) this.onPoint(point)
    } finally {
      this.measuring = false
    }
  }
}
