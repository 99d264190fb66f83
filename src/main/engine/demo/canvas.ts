/**
 * An RGB raster that paints shapes given by a signed distance in face-local units. Coverage comes
 * from the distance in pixels (a one-pixel ramp), so edges are anti-aliased without supersampling,
 * and each shape touches only the pixels of its bounding box. It paints straight into the
 * caller's bytes (8-bit blending per layer is invisible at these sizes); colours are convex mixes
 * of in-range colours, so no clamping is needed.
 */
import type { Rgb } from './color'
import type { Shape } from './sdf'

/** Local bounding box [left, top, right, bottom] outside which the shape has no coverage. */
export type Bounds = readonly [number, number, number, number]

interface Colour {
  r: number
  g: number
  b: number
  /** Rounded, for pixels fully covered at full opacity. */
  r8: number
  g8: number
  b8: number
  opacity: number
}

/** Tile side in pixels for the coarse inside/outside test. */
const tile = 4
/**
 * The ellipse and hairline distances are only approximately Euclidean: they may change up to
 * `lipschitz` times faster than the true distance and be off by up to `slack` local units.
 */
const lipschitz = 1.3
const slack = 0.6
const outside = 0
const inside = 1
const edge = 2

export class FaceCanvas {
  private readonly rgb: Uint8Array
  private readonly row: Float64Array
  private readonly coarse: Float64Array
  private readonly state: Uint8Array

  /**
   * @param out destination bytes; the face occupies size×size×3 of them from `offset`
   * @param originX pixel x (continuous) of the local origin
   * @param originY pixel y (continuous) of the local origin
   * @param pxPerUnit pixels per local unit
   */
  constructor(
    out: Uint8Array,
    offset: number,
    private readonly size: number,
    private readonly originX: number,
    private readonly originY: number,
    private readonly pxPerUnit: number
  ) {
    this.rgb = out.subarray(offset, offset + size * size * 3)
    this.row = new Float64Array(size)
    this.coarse = new Float64Array(Math.ceil(size / tile) + 1)
    this.state = new Uint8Array(this.coarse.length)
  }

  fill(c: Rgb): void {
    const rgb = this.rgb
    rgb[0] = Math.round(c[0])
    rgb[1] = Math.round(c[1])
    rgb[2] = Math.round(c[2])
    for (let n = 3; n < rgb.length; n *= 2) rgb.copyWithin(n, 0, Math.min(n, rgb.length - n))
  }

  /**
   * Decides coverage tile by tile first: where the distance at a tile's centre exceeds the tile's
   * reach, the whole tile is outside (skipped) or inside (filled) without evaluating its pixels;
   * only tiles on an edge are evaluated pixel by pixel. Sound because the distances are (nearly)
   * 1-Lipschitz and `reach` leaves room for the approximate ones: the result is byte for byte what
   * evaluating every pixel gives (tested).
   */
  paint(shape: Shape, bounds: Bounds, c: Rgb, opacity = 1): void {
    const { size, originX, originY, pxPerUnit: k, row, coarse, state } = this
    const px0 = Math.max(0, Math.floor(originX + bounds[0] * k) - 1)
    const py0 = Math.max(0, Math.floor(originY + bounds[1] * k) - 1)
    const px1 = Math.min(size, Math.ceil(originX + bounds[2] * k) + 2)
    const py1 = Math.min(size, Math.ceil(originY + bounds[3] * k) + 2)
    if (px1 <= px0 || py1 <= py0) return
    const tiles = Math.ceil((px1 - px0) / tile)
    const reach = lipschitz * tile * Math.SQRT1_2 + 0.5 + slack * k
    const [r, g, b] = c
    const colour = { r, g, b, r8: Math.round(r), g8: Math.round(g), b8: Math.round(b), opacity }
    for (let ty = py0; ty < py1; ty += tile) {
      shape((px0 + tile / 2 - originX) / k, tile / k, (ty + tile / 2 - originY) / k, tiles, coarse)
      for (let t = 0; t < tiles; t++) {
        const d = coarse[t] * k
        state[t] = d > reach ? outside : d < -reach ? inside : edge
      }
      for (let py = ty; py < Math.min(ty + tile, py1); py++) {
        const y = (py + 0.5 - originY) / k
        for (let t = 0; t < tiles;) {
          const x0 = px0 + t * tile
          if (state[t] !== edge) {
            if (state[t] === inside) this.fillSpan(py, x0, Math.min(x0 + tile, px1), colour)
            t++
            continue
          }
          let e = t + 1
          while (e < tiles && state[e] === edge) e++
          const x1 = Math.min(px0 + e * tile, px1)
          shape((x0 + 0.5 - originX) / k, 1 / k, y, x1 - x0, row)
          this.blendSpan(py, x0, x1, colour)
          t = e
        }
      }
    }
  }

  private fillSpan(py: number, x0: number, x1: number, c: Colour): void {
    const rgb = this.rgb
    const start = (py * this.size + x0) * 3
    const end = (py * this.size + x1) * 3
    if (c.opacity === 1) {
      for (let i = start; i < end; i += 3) {
        rgb[i] = c.r8
        rgb[i + 1] = c.g8
        rgb[i + 2] = c.b8
      }
      return
    }
    for (let i = start; i < end; i += 3) {
      rgb[i] = blend(rgb[i], c.r, c.opacity)
      rgb[i + 1] = blend(rgb[i + 1], c.g, c.opacity)
      rgb[i + 2] = blend(rgb[i + 2], c.b, c.opacity)
    }
  }

  /** Blends by the coverage of the distances in `row`, which start at pixel x0. */
  private blendSpan(py: number, x0: number, x1: number, c: Colour): void {
    const { rgb, row, pxPerUnit: k } = this
    for (let j = 0, i = (py * this.size + x0) * 3; j < x1 - x0; j++, i += 3) {
      const cover = 0.5 - row[j] * k
      if (cover <= 0) continue
      const a = cover >= 1 ? c.opacity : cover * c.opacity
      rgb[i] = blend(rgb[i], c.r, a)
      rgb[i + 1] = blend(rgb[i + 1], c.g, a)
      rgb[i + 2] = blend(rgb[i + 2], c.b, a)
    }
  }
}

function blend(under: number, over: number, a: number): number {
  return (under + (over - under) * a + 0.5) | 0
}
