/** The Train view: run settings, start and stop, β, the loss charts, previews and stats. */
import { expect, type Locator } from '@playwright/test'
import { View, type StudioContext } from './view'

export interface RunSettings {
  epochs: number
  batchSize: number
  latent: number
}

export class TrainView extends View {
  /** The run's state, in its data-state (idle, running, stopped, finished …). */
  readonly state: Locator
  /** The same state beside the view tabs, seen from every view. */
  readonly statePill: Locator
  /** Start (or "Continue training"). */
  readonly startButton: Locator
  readonly lossChart: Locator
  readonly klChart: Locator
  /** Which epoch the previews show ("epoch 2", "from the saved checkpoint"). */
  readonly previewsLabel: Locator
  /** The images of the reconstruction preview. */
  readonly reconstructions: Locator
  /** The images of the sample preview. */
  readonly samples: Locator
  readonly stats: { readonly backend: Locator; readonly beta: Locator }
  /** Sample quality: the chart (its data-points), the latest figures with their floors, or why it does not apply. */
  readonly quality: { readonly chart: Locator; readonly latest: Locator; readonly notApplicable: Locator; readonly measureButton: Locator }
  /** The β slider (arrows, Shift+arrows, page keys, Home/End). */
  readonly betaSlider: Locator
  /** The model's decoder and reconstruction loss, each with its one-sentence help beneath. */
  readonly decoder: Locator
  readonly recon: Locator
  private readonly stopButton: Locator
  private readonly betaInput: Locator
  private readonly settings: Locator

  constructor(studio: StudioContext) {
    super(studio, 'train')
    this.state = this.byId('train-state')
    this.statePill = this.byId('train-state-pill')
    const controls = this.page.getByRole('toolbar', { name: 'Training' })
    this.startButton = this.button(/^(Start|Continue) training$/, controls)
    this.stopButton = this.button('Stop', controls)
    this.settings = this.page.getByRole('group', { name: 'Run settings' })
    this.lossChart = this.byId('chart-loss')
    this.klChart = this.byId('chart-kl')
    this.previewsLabel = this.byId('previews-label')
    this.reconstructions = this.byId('recon-grid').locator('canvas')
    this.samples = this.byId('sample-grid').locator('canvas')
    this.stats = { backend: this.byId('stat-backend'), beta: this.byId('stat-beta') }
    this.betaInput = this.numberField('β value')
    this.betaSlider = this.page.getByRole('slider', { name: 'β', exact: true })
    this.decoder = this.settings.getByRole('combobox', { name: 'Decoder' })
    this.recon = this.settings.getByRole('combobox', { name: 'Reconstruction loss' })
    this.quality = {
      chart: this.byId('chart-quality'),
      latest: this.byId('quality-latest'),
      notApplicable: this.byId('quality-not-applicable'),
      // "Measure now", "Measuring…" while it measures.
      measureButton: this.button(/^(Measure now|Measuring…)$/)
    }
  }

  /** Opens the view and sets epochs, batch size and latent size. */
  async configure(settings: RunSettings): Promise<void> {
    await this.open()
    await this.field('Epochs').fill(String(settings.epochs))
    await this.field('Batch size').fill(String(settings.batchSize))
    await this.field('Latent size').fill(String(settings.latent))
  }

  /** Sets how many epochs the run (or its continuation, once the model's shape is fixed) lasts. */
  async setEpochs(epochs: number): Promise<void> {
    await this.open()
    await this.field('Epochs').fill(String(epochs))
  }

  async setLearningRate(rate: number): Promise<void> {
    await this.field('Learning rate').fill(String(rate))
  }

  /** Types β and presses Enter (also while training). */
  async setBeta(beta: number): Promise<void> {
    await this.betaInput.fill(String(beta))
    await this.betaInput.press('Enter')
  }

  /** A run setting's number field, by its label ("Epochs", "Learning rate" …). */
  field(label: string): Locator {
    return this.numberField(label, this.settings)
  }

  /** Presses `key` on the β slider `times` times ('ArrowRight', 'Shift+ArrowRight', 'PageUp', 'Home' …). */
  async pressOnBeta(key: string, times = 1): Promise<void> {
    await this.open()
    await this.betaSlider.focus()
    for (let i = 0; i < times; i++) await this.betaSlider.press(key)
  }

  /** The β the slider shows, from its accessible value ("β = 1.25"). */
  async betaShown(): Promise<number> {
    const text = (await this.betaSlider.getAttribute('aria-valuetext')) ?? ''
    return Number(text.replace(/^β = /, ''))
  }

  async start(): Promise<void> {
    await this.open()
    await this.startButton.click()
  }

  async stop(): Promise<void> {
    await this.open()
    await this.stopButton.click()
  }

  /** Data points the loss chart has drawn so far. */
  async chartPoints(): Promise<number> {
    return Number(await this.lossChart.getAttribute('data-points'))
  }

  /** Measurements the sample-quality chart has drawn. */
  async qualityPoints(): Promise<number> {
    return Number(await this.quality.chart.getAttribute('data-points'))
  }

  /** Turns measuring sample quality at checkpoints on or off for the next run. */
  async measureQualityWhileTraining(on: boolean): Promise<void> {
    await this.open()
    await this.settings.getByRole('checkbox', { name: /Measure sample quality/ }).setChecked(on)
  }

  /** Trains a run to its end (for a trained model to use, not to watch). */
  async trainToEnd(settings: RunSettings & { learningRate: number; beta: number }): Promise<void> {
    await this.configure(settings)
    await this.setLearningRate(settings.learningRate)
    await this.setBeta(settings.beta)
    await this.start()
    await expect(this.state).toHaveAttribute('data-state', 'finished', { timeout: 180_000 })
  }
}
