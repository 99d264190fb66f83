/**
 * A training run as the Train view sees it: the settings for the next run, the live state fed by
 * `train:*` events, the loss history for the charts, β changes, and the latest epoch previews.
 */
import type { ProjectSummary, StudioApi } from '../../../shared/contract'
import { defaultModelConfig, defaultTrainConfig, type ModelConfig, type ReconKind, type TrainConfig } from '../../../shared/config'
import { betaForLoss, suggestedBeta } from '../../../shared/model-choices'
import type { TrainEpoch, TrainNotice, TrainProgress, TrainState } from '../../../shared/events'
import type { RawImage } from '../../../shared/images'
import { fieldLimits } from '../lib/field-limits'
import { LatestOnly } from '../lib/latest-only'
import { isValidNumber } from '../lib/number-limits'
import { LossSeries } from './loss-series.svelte'
import { RunPlan } from './run-plan.svelte'
import type { Notices } from './notices.svelte'
import type { ProjectChange, StoreEvents, StudioStore } from './store-events'

export interface BetaMark {
  step: number
  beta: number
}

export type EpochSummary = Omit<TrainEpoch, 'reconstructions' | 'samples'>

export interface Previews {
  /** Which epoch the images belong to, or a note for previews rebuilt from a checkpoint. */
  label: string
  /** Alternating original, reconstruction. */
  reconstructions: RawImage[]
  samples: RawImage[]
}

/** Previews rebuilt on project open use as many images as the engine sends per epoch. */
const previewPairs = 8
const previewSamples = 16

export class TrainingStore implements StudioStore {
  model = $state<ModelConfig>({ ...defaultModelConfig })
  /** The next run's settings; `train.beta` is the target β, the slider's value, sent live while a run is going. */
  train = $state<TrainConfig>({
    ...defaultTrainConfig,
    beta: suggestedBeta[defaultModelConfig.recon],
    warmup: { ...defaultTrainConfig.warmup }
  })
  status = $state.raw<TrainState>({ state: 'idle' })
  progress = $state.raw<TrainProgress | null>(null)
  betaMarks = $state.raw<BetaMark[]>([])
  epochs = $state.raw<EpochSummary[]>([])
  previews = $state.raw<Previews | null>(null)
  trainNotices = $state.raw<TrainNotice[]>([])
  /** Latest checkpoint of the open project; a run can continue from it. */
  checkpoint = $state.raw<ProjectSummary['checkpoint']>(null)
  readonly series = new LossSeries()
  /** The next run's length and expected time. */
  readonly plan: RunPlan
  private lastTargetBeta: number | null = null
  private readonly betaSender: LatestOnly<number, { beta: number }>

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {
    this.plan = new RunPlan(api, () => this.train)
    this.betaSender = new LatestOnly(
      (beta) => this.api.trainSetBeta({ beta }),
      () => {},
      (err) => this.notices.error('Could not change β', err)
    )
  }

  readonly events: StoreEvents = {
    'train:progress': (p) => this.onProgress(p),
    'train:epoch': (e) => this.onEpoch(e),
    'train:notice': (n) => this.onNotice(n),
    'train:state': (s) => this.onState(s)
  }

  /** Every run setting within the engine's limits: Start stays disabled until they are. */
  settingsValid = $derived(
    (this.train.length.amount === null || isValidNumber(this.train.length.amount, fieldLimits.runLength[this.train.length.unit])) &&
      isValidNumber(this.train.batchSize, fieldLimits.batchSize) &&
      isValidNumber(this.train.learningRate, fieldLimits.learningRate) &&
      isValidNumber(this.train.valFraction, fieldLimits.valFraction) &&
      isValidNumber(this.train.beta, fieldLimits.beta) &&
      (this.train.warmup.kind === 'none' || isValidNumber(this.train.warmup.steps, fieldLimits.warmupSteps)) &&
      isValidNumber(this.model.latentDim, fieldLimits.latentDim)
  )

  active = $derived(this.status.state === 'running' || this.status.state === 'paused')
  latestEpoch = $derived(this.epochs.length ? this.epochs[this.epochs.length - 1] : null)
  /** Epochs seen so far (images seen over the training set, one decimal), whatever the batch size. */
  epochsSeen = $derived(this.progress && this.progress.epochImages > 0 ? this.progress.imagesSeen / this.progress.epochImages : null)
  /** Fraction of the run done, 0..1, in the run's own unit (steps, minutes or epochs). */
  fraction = $derived(this.progress?.fraction ?? 0)

  reset(change: ProjectChange): Promise<void> | void {
    return change.kind === 'updated' ? this.projectUpdated(change.project) : this.projectOpened(change.project)
  }

  private async projectOpened(project: ProjectSummary | null): Promise<void> {
    this.series.clear()
    this.betaMarks = []
    this.epochs = []
    this.previews = null
    this.progress = null
    this.trainNotices = []
    this.lastTargetBeta = null
    this.plan.forget()
    this.checkpoint = project?.checkpoint ?? null
    this.status = project?.trainState ?? { state: 'idle' }
    if (!project) return
    this.model = { ...project.model, imageSize: project.imageSize as ModelConfig['imageSize'], channels: project.channels }
    this.train = { ...project.train, warmup: { ...project.train.warmup }, beta: project.checkpoint?.beta ?? project.train.beta }
    if (project.checkpoint) await this.loadHistory(project.imageCount)
  }

  /**
   * After an import or a run the summary changes: the dataset decides the model's input shape
   * (the user cannot pick a mismatching one) and a new checkpoint may exist.
   */
  private projectUpdated(project: ProjectSummary | null): void {
    if (!project) return
    this.checkpoint = project.checkpoint
    this.model = { ...this.model, imageSize: project.imageSize as ModelConfig['imageSize'], channels: project.channels }
  }

  async loadHistory(imageCount: number): Promise<void> {
    const history = await this.notices.guard('Could not load the training history', () => this.api.trainHistory())
    if (!history) return
    this.series.clear()
    for (const row of history.rows) this.series.addTrain(row.step, row.loss, row.recon, row.kl)
    for (const e of history.epochs) this.series.addVal(e.step, e.valLoss, e.valRecon, e.valKl)
    this.epochs = history.epochs
    this.betaMarks = history.betaChanges
    this.lastTargetBeta = history.betaChanges.length ? history.betaChanges[history.betaChanges.length - 1].beta : null
    await this.previewFromCheckpoint(imageCount)
  }

  /** Epoch images are not stored with the history; rebuild comparable ones from the checkpoint. */
  private async previewFromCheckpoint(imageCount: number): Promise<void> {
    const count = Math.min(previewPairs, imageCount)
    const indices = Array.from({ length: count }, (_, i) => i)
    const result = await this.notices.guard('Could not rebuild the previews', async () => {
      const [originals, reconstructions, sample] = await Promise.all([
        count ? this.api.datasetThumbnails({ from: 0, count }) : Promise.resolve([]),
        count ? this.api.modelReconstruct({ indices }) : Promise.resolve([]),
        this.api.modelSample({ count: previewSamples, temperature: 1, seed: this.train.seed })
      ])
      return { originals, reconstructions, samples: sample.images }
    })
    if (!result) return
    const pairs = result.originals.flatMap((o, i) => (result.reconstructions[i] ? [o, result.reconstructions[i]] : []))
    this.previews = { label: 'from the saved checkpoint', reconstructions: pairs, samples: result.samples }
  }

  onProgress(p: TrainProgress): void {
    const last = this.series.lastStep
    if (last !== null && p.step < last) this.series.truncateFrom(p.step)
    this.series.addTrain(p.step, p.loss, p.recon, p.kl)
    if (this.lastTargetBeta !== null && p.targetBeta !== this.lastTargetBeta) {
      this.betaMarks = [...this.betaMarks, { step: p.step, beta: p.targetBeta }]
    }
    this.lastTargetBeta = p.targetBeta
    this.progress = p
  }

  onEpoch(e: TrainEpoch): void {
    this.series.addVal(e.step, e.valLoss, e.valRecon, e.valKl)
    const { reconstructions, samples, ...summary } = e
    this.epochs = [...this.epochs.filter((x) => x.epoch !== e.epoch), summary]
    this.previews = { label: `epoch ${e.epoch}`, reconstructions, samples }
  }

  onState(s: TrainState): void {
    this.status = s
  }

  onNotice(n: TrainNotice): void {
    this.trainNotices = [...this.trainNotices.slice(-19), n]
  }

  /** Moves the target β; while a run is going the engine gets it for its next step. */
  setBeta(beta: number): void {
    this.train.beta = beta
    if (this.active) this.betaSender.push(beta)
  }

  /** Another loss for the next run; β follows it when it was the old loss's own (`betaForLoss`), never during a run. */
  chooseRecon(recon: ReconKind): void {
    if (this.active) return
    this.train.beta = betaForLoss(this.train.beta, this.model.recon, recon)
    this.model.recon = recon
  }

  /** After a run has reached its length: lengthens it by the plan's "more" and trains on. */
  async trainMore(): Promise<void> {
    const longer = this.plan.extended()
    if (!longer) return
    this.train.length = longer
    await this.start()
  }

  async start(): Promise<void> {
    if (!this.settingsValid) return
    const model = $state.snapshot(this.model)
    const train = $state.snapshot(this.train)
    this.lastTargetBeta = null
    const state = await this.notices.guard('Could not start training', () => this.api.trainStart({ model, train }))
    if (!state) return
    this.status = state
    // A run continued from a checkpoint resumes at the checkpoint's β; a β moved since then is
    // sent as a live change, so it applies (and shows as a mark) from the first steps.
    if (this.checkpoint && this.checkpoint.beta !== train.beta && this.active) this.betaSender.push(train.beta)
  }

  pause(): Promise<void> {
    return this.control('Could not pause', () => this.api.trainPause())
  }

  resume(): Promise<void> {
    return this.control('Could not resume', () => this.api.trainResume())
  }

  stop(): Promise<void> {
    return this.control('Could not stop', () => this.api.trainStop())
  }

  private async control(title: string, action: () => Promise<TrainState>): Promise<void> {
    const state = await this.notices.guard(title, action)
    if (state) this.status = state
  }
}
