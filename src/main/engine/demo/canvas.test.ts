import { describe, expect, it } from 'vitest'
import { Rng } from '../random/rng'
import { FaceCanvas, type Bounds } from './canvas'
import type { Rgb } from './color'
import { above, arc, box, circle, ellipse, intersection, union, type Shape } from './sdf'

/** What the tiled painter must reproduce: every pixel of the image evaluated on its own. */
function paintEveryPixel(out: Uint8Array, size: number, ox: number, oy: number, k: number, shape: Shape, c: Rgb): void {
  const d = new Float64Array(1)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      shape((px + 0.5 - ox) / k, 1 / k, (py + 0.5 - oy) / k, 1, d)
      const cover = 0.5 - d[0] * k
      if (cover <= 0) continue
      const a = Math.min(cover, 1)
      for (let ch = 0; ch < 3; ch++) {
        const i = (py * size + px) * 3 + ch
        out[i] = (out[i] + (c[ch] - out[i]) * a + 0.5) | 0
      }
    }
  }
}

/** Amount of colour laid down, in pixels: Σ (255 − value) / 255 over one channel of a white canvas. */
function ink(out: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < out.length; i += 3) sum += (255 - out[i]) / 255
  return sum
}

describe('FaceCanvas', () => {
  it('fills exactly its own bytes with the rounded background colour', () => {
    const out = new Uint8Array(5 + 7 * 7 * 3 + 5).fill(9)
    new FaceCanvas(out, 5, 7, 3.5, 3.5, 1).fill([10.2, 20.7, 30])
    expect([...out.subarray(0, 5)]).toEqual([9, 9, 9, 9, 9])
    expect([...out.subarray(out.length - 5)]).toEqual([9, 9, 9, 9, 9])
    for (let p = 0; p < 49; p++) expect([...out.subarray(5 + 3 * p, 8 + 3 * p)]).toEqual([10, 21, 30])
  })

  it('anti-aliases: a disc lays down its area in ink, with partly covered pixels on its edge', () => {
    for (const [size, k, r] of [
      [32, 0.5, 9],
      [64, 1.12, 7.3],
      [128, 2.5, 11.1]
    ]) {
      const out = new Uint8Array(size * size * 3)
      const canvas = new FaceCanvas(out, 0, size, size / 2 + 0.3, size / 2 - 0.2, k)
      canvas.fill([255, 255, 255])
      canvas.paint(circle(0, 0, r), [-r, -r, r, r], [0, 0, 0])
      const area = Math.PI * (r * k) ** 2
      expect(Math.abs(ink(out) - area) / area).toBeLessThan(0.01)
      let partial = 0
      for (let i = 0; i < out.length; i += 3) if (out[i] > 0 && out[i] < 255) partial++
      expect(partial).toBeGreaterThan(2 * Math.PI * r * k * 0.5)
    }
  })

  it('skips and fills whole tiles only where every pixel would agree', () => {
    const rng = new Rng(11)
    const color: Rgb = [200, 40, 90]
    for (let trial = 0; trial < 45; trial++) {
      const size = [24, 64, 160][trial % 3]
      const k = (size / 64) * (0.8 + 0.6 * rng.next())
      const ox = size / 2 + (rng.next() - 0.5) * 8
      const oy = size / 2 + (rng.next() - 0.5) * 8
      const rx = 2 + 22 * rng.next()
      const ry = 2 + 22 * rng.next()
      const half = 2 + 6 * rng.next()
      const sag = (rng.next() - 0.5) * 8
      const cut = (rng.next() - 0.5) * 20
      const cases: Array<[Shape, Bounds]> = [
        [ellipse(1, -2, rx, ry), [1 - rx, -2 - ry, 1 + rx, -2 + ry]],
        [arc(0, 3, half, sag, 0.9), [-half - 1, 3 - Math.abs(sag) / 2 - 1, half + 1, 3 + Math.abs(sag) / 2 + 1]],
        [intersection(ellipse(0, -2, 17.5, 18.5), above(cut, 0.035)), [-17.5, -20.5, 17.5, 16.5]],
        [union(ellipse(0, 0, rx, ry), box(-rx, 0, rx, 20, 2)), [-rx, -ry, rx, Math.max(ry, 20)]]
      ]
      for (const [shape, bounds] of cases) {
        const tiled = new Uint8Array(size * size * 3).fill(250)
        new FaceCanvas(tiled, 0, size, ox, oy, k).paint(shape, bounds, color)
        const reference = new Uint8Array(size * size * 3).fill(250)
        paintEveryPixel(reference, size, ox, oy, k, shape, color)
        let differing = 0
        for (let i = 0; i < tiled.length; i++) if (tiled[i] !== reference[i]) differing++
        expect(differing).toBe(0)
      }
    }
  })

  it('paints nothing outside the bounds it is given, and blends by opacity', () => {
    const size = 16
    const out = new Uint8Array(size * size * 3)
    const canvas = new FaceCanvas(out, 0, size, 0, 0, 1)
    canvas.fill([200, 200, 200])
    // The shape covers the whole image; the bounds limit it to the box 4..8 × 4..8 (plus the ramp).
    canvas.paint(box(-100, -100, 100, 100), [4, 4, 8, 8], [100, 0, 0], 0.5)
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inBounds = x >= 3 && x < 10 && y >= 3 && y < 10
        expect(out[(y * size + x) * 3], `${x},${y}`).toBe(inBounds ? 150 : 200)
      }
    }
  })
})
