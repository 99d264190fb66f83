/**
 * The Tools view: the tool list, the picker that fills a tool's inputs (its "slots") with
 * dataset images or samples, and each tool's own controls and results.
 */
import { expect, type Locator } from '@playwright/test'
import { canvasPixels } from './canvas'
import { Part, View, type StudioContext } from './view'

export type ToolName = 'interpolate' | 'attributes' | 'arithmetic' | 'denoise' | 'compression' | 'nearest' | 'timeline'

/** One input of a tool, filled from the picker. */
export class PickSlot extends Part {
  readonly root: Locator
  /** The slot's head: pressed while the picker fills this slot. */
  readonly fillButton: Locator
  /** The images in the slot. */
  readonly items: Locator

  constructor(studio: StudioContext, id: string) {
    super(studio)
    // A slot has no role of its own: a group of picked images, found by its id.
    this.root = this.byId(`slot-${id}`)
    this.fillButton = this.root.getByRole('button', { name: /^Fill / })
    this.items = this.root.getByRole('listitem').filter({ has: this.page.getByRole('button', { name: /^Remove / }) })
  }

  /** Makes this the slot the picker fills. */
  async startFilling(): Promise<void> {
    await this.fillButton.click()
  }
}

/** The picker beside the tools: dataset images (grid or by number) or new samples. */
export class Picker extends Part {
  /** The dataset's thumbnails, a listbox (arrows move, Enter picks). */
  readonly grid: Locator
  readonly datasetSource: Locator
  readonly samplesSource: Locator
  /** The samples drawn so far. */
  readonly samples: Locator

  constructor(studio: StudioContext) {
    super(studio)
    const panel = this.region('Pick images')
    this.grid = panel.getByRole('listbox', { name: /^Dataset images/ })
    const sources = panel.getByRole('group', { name: 'Pick from' })
    this.datasetSource = this.button(/^Dataset/, sources)
    this.samplesSource = this.button(/^Samples/, sources)
    this.samples = panel.getByRole('group', { name: 'Sample' })
  }

  /** The grid's thumbnail of dataset image `index` (from 0); clicking it picks the image. */
  thumbnail(index: number): Locator {
    return this.grid.getByRole('option', { name: `Image ${index + 1}`, exact: true })
  }

  async showDataset(): Promise<void> {
    await this.datasetSource.click()
  }

  async showSamples(): Promise<void> {
    await this.samplesSource.click()
  }

  /** Draws new samples from the model. */
  async drawSamples(): Promise<void> {
    await this.button(/^Sample \d+$/, this.region('Pick images')).click()
  }

  /** Picks sample `n` (from 0). */
  async pickSample(n: number): Promise<void> {
    await this.button(`Pick image ${n + 1}`, this.samples).click()
  }

  /** Picks dataset image `index` (from 0) by typing its number. */
  async pickByNumber(index: number): Promise<void> {
    const panel = this.region('Pick images')
    await this.numberField('Image #', panel).fill(String(index + 1))
    await this.button('Pick', panel).click()
  }
}

class InterpolateTool extends Part {
  readonly frameCount = this.numberField('Frames')
  /** The decoded frames of the path. */
  readonly frames = this.byId('interp-strip').locator('canvas')
  /** "10 frames, looping": what the animation export holds. */
  readonly animation = this.byId('interp-animation-frames')

  async setFrames(count: number): Promise<void> {
    await this.frameCount.fill(String(count))
  }

  async exportGif(name: string): Promise<string> {
    return this.studio.saveFrom(this.button('GIF…'), name)
  }

  async exportWebp(name: string): Promise<string> {
    return this.studio.saveFrom(this.button('WebP…'), name)
  }
}

class AttributeTool extends Part {
  /** The saved attribute vectors. */
  readonly list = this.page.getByRole('radiogroup', { name: 'Attribute vectors' })
  /** The target image moved along the vector by the slider. */
  readonly live = this.byId('attr-live')
  /** The target at fixed amounts, −3 … +3. */
  readonly strip = this.page.getByRole('group', { name: 'The image at several amounts' })
  readonly stripImages = this.strip.locator('canvas')
  readonly slider = this.page.getByRole('slider', { name: 'Amount', exact: true })
  /** The slider's amount ("+3.0"). */
  readonly amount = this.byId('attr-amount')

  /** Makes a vector `name` from the "with" and "without" groups. */
  async create(name: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Attribute name' }).fill(name)
    await this.button('Save vector').click()
  }

  async livePixels(): Promise<number[]> {
    return canvasPixels(this.live)
  }
}

class ArithmeticTool extends Part {
  /** The decoded mean(A) − mean(B) + mean(C). */
  readonly result = this.byId('arith-result')
  readonly recipes = this.region('Recipes').getByRole('listitem')

  async saveRecipe(name: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Recipe name' }).fill(name)
    await this.button('Save recipe').click()
  }
}

const noiseNames = { gaussian: 'Gaussian noise', 'salt-pepper': 'Salt and pepper', mask: 'Masked rectangle' } as const

class DenoiseTool extends Part {
  /** PSNR before and after. */
  readonly psnr = this.byId('denoise-psnr')

  async chooseNoise(kind: 'gaussian' | 'salt-pepper' | 'mask'): Promise<void> {
    await this.button(noiseNames[kind]).click()
  }
}

class CompressionTool extends Part {
  readonly table = this.page.getByRole('table')
}

class NearestTool extends Part {
  /** Distance to the nearest training image. */
  readonly distance = this.byId('nearest-distance')
}

class TimelineTool extends Part {
  /** One frame (a row of fixed-seed samples) per saved checkpoint. */
  readonly frames = this.byId('timeline-frame')

  async run(): Promise<void> {
    await this.button('Build timeline').click()
  }
}

const toolNames: Record<ToolName, string> = {
  interpolate: 'Interpolate',
  arithmetic: 'Arithmetic',
  attributes: 'Attribute vectors',
  denoise: 'Denoise',
  compression: 'Compression',
  nearest: 'Nearest image',
  timeline: 'Timeline'
}

export class ToolsView extends View {
  readonly picker: Picker
  readonly interpolate: InterpolateTool
  readonly attributes: AttributeTool
  readonly arithmetic: ArithmeticTool
  readonly denoise: DenoiseTool
  readonly compression: CompressionTool
  readonly nearest: NearestTool
  readonly timeline: TimelineTool

  constructor(studio: StudioContext) {
    super(studio, 'tools')
    this.picker = new Picker(studio)
    this.interpolate = new InterpolateTool(studio)
    this.attributes = new AttributeTool(studio)
    this.arithmetic = new ArithmeticTool(studio)
    this.denoise = new DenoiseTool(studio)
    this.compression = new CompressionTool(studio)
    this.nearest = new NearestTool(studio)
    this.timeline = new TimelineTool(studio)
  }

  /** A tool's entry in the tool list (a vertical tab list). */
  toolTab(name: ToolName): Locator {
    return this.page.getByRole('tablist', { name: 'Tools' }).getByRole('tab', { name: toolNames[name], exact: true })
  }

  /** Opens the Tools view and the tool `name`. */
  override async open(name?: ToolName): Promise<void> {
    await super.open()
    if (name === undefined) return
    await this.toolTab(name).click()
    await expect(this.toolTab(name)).toHaveAttribute('aria-selected', 'true')
  }

  /** A tool input by its id ('interp-start', 'attr-with', 'arith-c' …). */
  slot(id: string): PickSlot {
    return new PickSlot(this.studio, id)
  }

  /** Makes slot `id` the one being filled, then picks dataset images by number (from 0). */
  async pickImages(id: string, indices: number[]): Promise<void> {
    const slot = this.slot(id)
    await slot.startFilling()
    await expect(slot.fillButton).toHaveAttribute('aria-pressed', 'true')
    await this.picker.showDataset()
    for (const index of indices) await this.picker.pickByNumber(index)
    await expect(slot.items).toHaveCount(indices.length)
  }
}
