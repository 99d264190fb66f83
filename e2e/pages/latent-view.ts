/** The Latent space view: the plane to drag on, the decoded image, the tray of kept images. */
import type { Locator } from '@playwright/test'
import { canvasPixels } from './canvas'
import { View, type StudioContext } from './view'

export class LatentView extends View {
  /** The 2-D plane of codes (drag on it, or focus it and use the arrows; Enter keeps). */
  readonly plane: Locator
  /** The coordinates of the decoded point. */
  readonly position: Locator
  /** The canvas showing the decoded image. */
  readonly decodedImage: Locator
  /** Decodes per second ("12 frames/s"). */
  readonly decodeRate: Locator
  /** The tray's images. */
  readonly trayItems: Locator
  readonly tray: Locator
  private readonly keepButton: Locator
  private readonly nearestButton: Locator

  constructor(studio: StudioContext) {
    super(studio, 'latent')
    this.plane = this.page.getByRole('application', { name: /^Latent plane/ })
    this.position = this.byId('latent-position')
    this.decodedImage = this.byId('latent-decoded')
    this.decodeRate = this.byId('decode-fps')
    this.tray = this.page.getByRole('list', { name: 'Kept images' })
    // Kept images are the items with a Remove button (an empty tray shows a hint instead).
    this.trayItems = this.tray.getByRole('listitem').filter({ has: this.page.getByRole('button', { name: /^Remove / }) })
    const decoded = this.region('Decoded')
    this.keepButton = this.button('Keep', decoded)
    this.nearestButton = this.button('Nearest training image', decoded)
  }

  /** The RGBA bytes of the decoded image. */
  async decodedPixels(): Promise<number[]> {
    return canvasPixels(this.decodedImage)
  }

  /** Presses on the plane at `from` and drags to `to` (fractions of its size) in small moves. */
  async dragOnPlane(from: [number, number], to: [number, number], moves = 24): Promise<void> {
    const { mouse } = this.studio.page
    const box = await this.plane.boundingBox()
    if (!box) throw new Error('the latent plane is not on screen')
    const at = ([fx, fy]: [number, number]) => [box.x + fx * box.width, box.y + fy * box.height] as const
    await mouse.move(...at(from))
    await mouse.down()
    for (let i = 1; i <= moves; i++) {
      const t = i / moves
      await mouse.move(...at([from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t]))
    }
    await mouse.up()
  }

  /** Keeps the decoded image in the tray. */
  async keep(): Promise<void> {
    await this.keepButton.click()
  }

  /** Exports the decoded image as a PNG; returns where it was saved. */
  async exportDecoded(name: string): Promise<string> {
    return this.studio.saveFrom(this.button('Export PNG…', this.region('Decoded')), name)
  }

  /** Exports the tray as one PNG; returns where it was saved. */
  async exportTray(name: string): Promise<string> {
    return this.studio.saveFrom(this.button('Export tray…', this.region(/^Tray/)), name)
  }

  /** "Nearest training image": opens that tool on the decoded image. */
  async findNearest(): Promise<void> {
    await this.nearestButton.click()
  }
}
