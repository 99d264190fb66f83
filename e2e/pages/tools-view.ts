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
    this.root = this.byId(`slot-${id}`)
    this.fillButton = this.byId(`slot-${id}-fill`)
    this.items = this.root.getByTestId('slot-item')
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
    this.grid = this.byId('pick-grid')
    this.datasetSource = this.byId('picker-source-dataset')
    this.samplesSource = this.byId('picker-source-samples')
    this.samples = this.byId('picker-samples')
  }

  /** The grid's thumbnail of dataset image `index` (from 0); clicking it picks the image. */
  thumbnail(index: number): Locator {
    return this.grid.locator(`[data-index="${index}"]`)
  }

  async showDataset(): Promise<void> {
    await this.datasetSource.click()
  }

  async showSamples(): Promise<void> {
    await this.samplesSource.click()
  }

  /** Draws new samples from the model. */
  async drawSamples(): Promise<void> {
    await this.byId('picker-sample').click()
  }

  /** Picks sample `n` (from 0). */
  async pickSample(n: number): Promise<void> {
    await this.samples.getByRole('button').nth(n).click()
  }

  /** Picks dataset image `index` (from 0) by typing its number. */
  async pickByNumber(index: number): Promise<void> {
    await this.byId('picker-index').fill(String(index + 1))
    await this.byId('picker-index-pick').click()
  }
}

class InterpolateTool extends Part {
  readonly frameCount = this.byId('interp-frames')
  /** The decoded frames of the path. */
  readonly frames = this.byId('interp-strip').locator('canvas')
  /** "10 frames, looping": what the animation export holds. */
  readonly animation = this.byId('interp-animation-frames')

  async setFrames(count: number): Promise<void> {
    await this.frameCount.fill(String(count))
  }

  async exportGif(name: string): Promise<string> {
    return this.studio.saveFrom(this.byId('interp-export-gif'), name)
  }

  async exportWebp(name: string): Promise<string> {
    return this.studio.saveFrom(this.byId('interp-export-webp'), name)
  }
}

class AttributeTool extends Part {
  /** The saved attribute vectors. */
  readonly list = this.byId('attr-list')
  /** The target image moved along the vector by the slider. */
  readonly live = this.byId('attr-live')
  /** The target at fixed amounts, −3 … +3. */
  readonly strip = this.byId('attr-strip')
  readonly stripImages = this.strip.locator('canvas')
  readonly slider = this.byId('attr-slider')
  /** The slider's amount ("+3.0"). */
  readonly amount = this.byId('attr-amount')

  /** Makes a vector `name` from the "with" and "without" groups. */
  async create(name: string): Promise<void> {
    await this.byId('attr-name').fill(name)
    await this.byId('attr-create').click()
  }

  async livePixels(): Promise<number[]> {
    return canvasPixels(this.live)
  }
}

class ArithmeticTool extends Part {
  /** The decoded mean(A) − mean(B) + mean(C). */
  readonly result = this.byId('arith-result')
  readonly recipes = this.byId('recipe')

  async saveRecipe(name: string): Promise<void> {
    await this.byId('recipe-name').fill(name)
    await this.byId('recipe-save').click()
  }
}

class DenoiseTool extends Part {
  /** PSNR before and after. */
  readonly psnr = this.byId('denoise-psnr')

  async chooseNoise(kind: 'gaussian' | 'mask' | (string & {})): Promise<void> {
    await this.byId(`denoise-kind-${kind}`).click()
  }
}

class CompressionTool extends Part {
  readonly table = this.byId('compression-table')
}

class NearestTool extends Part {
  /** Distance to the nearest training image. */
  readonly distance = this.byId('nearest-distance')
}

class TimelineTool extends Part {
  /** One frame (a row of fixed-seed samples) per saved checkpoint. */
  readonly frames = this.byId('timeline-frame')

  async run(): Promise<void> {
    await this.byId('timeline-run').click()
  }
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
    return this.byId(`tool-${name}`)
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
