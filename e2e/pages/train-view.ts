/** The Train view: run settings, start and stop, β, the loss charts, previews and stats. */
import { expect, type Locator } from '@playwright/test'
import { View, type StudioContext } from './view'

/** A run's length: steps, minutes or epochs in all, or the one recommended for the images. */
export type LengthChoice = 'Recommended' | 'Steps' | 'Minutes' | 'Epochs'

export interface RunSettings {
  /** The run's length in epochs (most specs think in passes over a small set). */
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
  /** "Train 600 steps more", offered once the model has trained as long as its length says. */
  readonly trainMoreButton: Locator
  /** What the next run will take, said before it starts ("the recommended 600 steps · about 6 min …"). */
  readonly expected: Locator
  /** "Images are being added to this project (n of N) …": an import runs, so training waits. */
  readonly waitsForImport: Locator
  /** The run's time left while it goes, and its steps per second. */
  readonly timeLeft: Locator
  readonly stepsPerSec: Locator
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
  /** The sharpen switch, its one-sentence help as its description. */
  readonly sharpen: Locator
  /** "Training threads": one per core, or a count. */
  readonly threads: Locator
  /** When the run ends before sharpening starts: says so, with a button that lengthens the run. */
  readonly sharpenHint: Locator
  /** Under a loss that wants a higher β: says so, with a button that sets it. */
  readonly betaHint: Locator
  /** The β value typed beside the slider. */
  readonly betaInput: Locator
  private readonly stopButton: Locator
  private readonly settings: Locator

  constructor(studio: StudioContext) {
    super(studio, 'train')
    this.state = this.byId('train-state')
    this.statePill = this.byId('train-state-pill')
    const controls = this.page.getByRole('toolbar', { name: 'Training' })
    this.startButton = this.button(/^(Start|Continue) training$/, controls)
    this.stopButton = this.button('Stop', controls)
    this.trainMoreButton = this.button(/^Train .+ more$/, controls)
    this.expected = this.byId('train-expected')
    this.waitsForImport = this.byId('train-waits-for-import')
    this.timeLeft = this.byId('stat-time-left')
    this.stepsPerSec = this.byId('stat-steps-per-sec')
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
    this.betaHint = this.byId('gaussian-beta-hint')
    this.sharpen = this.settings.getByRole('checkbox', { name: 'Sharpen (slower)' })
    this.threads = this.settings.getByRole('combobox', { name: 'Training threads' })
    this.sharpenHint = this.byId('sharpen-hint')
    this.quality = {
      chart: this.byId('chart-quality'),
      latest: this.byId('quality-latest'),
      notApplicable: this.byId('quality-not-applicable'),
      // "Measure now", "Measuring…" while it measures.
      measureButton: this.button(/^(Measure now|Measuring…)$/)
    }
  }

  /** Opens the view and sets the length in epochs, batch size and latent size. */
  async configure(settings: RunSettings): Promise<void> {
    await this.setLength('Epochs', settings.epochs)
    await this.field('Batch size').fill(String(settings.batchSize))
    await this.field('Latent size').fill(String(settings.latent))
  }

  /** Sets how many epochs the model trains in all (a continuation trains up to that). */
  async setEpochs(epochs: number): Promise<void> {
    await this.setLength('Epochs', epochs)
  }

  /** The run-length picker. */
  get lengthChoice(): Locator {
    return this.settings.getByRole('combobox', { name: 'Run length' })
  }

  /** The length's amount field, labelled by its unit ("Train to (steps)"). */
  lengthField(unit: Exclude<LengthChoice, 'Recommended'>): Locator {
    return this.field(`Train to (${unit.toLowerCase()})`)
  }

  /** Picks the length's unit and, for a unit, types its amount. */
  async setLength(choice: LengthChoice, amount?: number): Promise<void> {
    await this.open()
    // By value: the recommended option's label names its steps.
    await this.lengthChoice.selectOption(choice.toLowerCase())
    if (choice !== 'Recommended' && amount !== undefined) await this.lengthField(choice).fill(String(amount))
  }

  async setLearningRate(rate: number): Promise<void> {
    await this.field('Learning rate').fill(String(rate))
  }

  /** Types β and presses Enter (also while training). */
  async setBeta(beta: number): Promise<void> {
    await this.betaInput.fill(String(beta))
    await this.betaInput.press('Enter')
  }

  /** A run setting's number field, by its label ("Train to (epochs)", "Learning rate" …). */
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
