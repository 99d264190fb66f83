/** Reading what a canvas shows (the e2e tsconfig has no DOM types). */
import type { Locator } from '@playwright/test'

/** The part of HTMLCanvasElement used in the page. */
interface CanvasLike {
  width: number
  height: number
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } }
}

/** The RGBA bytes a canvas shows. */
export async function canvasPixels(canvas: Locator): Promise<number[]> {
  return canvas.evaluate((element) => {
    const c = element as unknown as CanvasLike
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)
  })
}

/** Whether any colour byte (alpha left out) is not black: the canvas shows an image. */
export function showsImage(pixels: number[]): boolean {
  return pixels.some((v, i) => i % 4 !== 3 && v !== 0)
}

/** Mean absolute change per colour byte between two RGBA canvases (alpha left out). */
export function meanChange(a: number[], b: number[]): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) sum += Math.abs(a[i] - b[i])
  return sum / ((a.length / 4) * 3)
}
