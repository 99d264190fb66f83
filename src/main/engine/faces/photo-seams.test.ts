/** Seams between tiled pictures: found where two different pictures meet, not in texture or gradients. */
import { describe, expect, it } from 'vitest'
import { Rng } from '../random/rng'
import { seamShare, straddlesSeam } from './photo-seams'
import type { RgbImage } from './rgb-region'

function picture(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbImage {
  const pixels = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(pixel(x, y), (y * width + x) * 3)
  return { width, height, pixels }
}

describe('seams between tiled pictures', () => {
  const rng = new Rng(3)
  const noise = Array.from({ length: 200 * 200 }, () => rng.normal() * 12)
  /** Two noisy pictures side by side, meeting at x = 100; the right one darker. */
  const sheet = picture(200, 200, (x, y) => {
    const n = noise[y * 200 + x]
    return x < 100 ? [150 + n, 120 + n, 100 + n] : [60 + n, 90 + n, 70 + n]
  })

  it('are found through the middle of a box that straddles them, vertical or horizontal', () => {
    expect(straddlesSeam(sheet, { x: 50, y: 40, width: 100, height: 100 })).toBe(true)
    const turned = picture(
      200,
      200,
      (x, y) => [...sheet.pixels.subarray((x * 200 + y) * 3, (x * 200 + y) * 3 + 3)] as [number, number, number]
    )
    expect(straddlesSeam(turned, { x: 40, y: 50, width: 100, height: 100 })).toBe(true)
  })

  it('do not count near the edge of a box, nor where there is none', () => {
    // The seam at 10 % of the box's width: the box is one picture's face, touching the border.
    expect(straddlesSeam(sheet, { x: 90, y: 40, width: 100, height: 100 })).toBe(false)
    expect(seamShare(sheet, { x: 0, y: 0, width: 90, height: 200 })).toBeLessThan(0.3)
  })

  it('are not texture, a smooth gradient or a thin line', () => {
    const gradient = picture(200, 200, (x) => [x, 255 - x, 128])
    expect(seamShare(gradient, { x: 50, y: 50, width: 100, height: 100 })).toBe(0)
    const line = picture(200, 200, (x, y) => (x === 100 || x === 101 ? [20, 20, 20] : [180 + noise[y * 200 + x], 160, 150]))
    expect(straddlesSeam(line, { x: 50, y: 50, width: 100, height: 100 })).toBe(false)
    const texture = picture(200, 200, (x, y) => {
      const v = 128 + 3 * noise[y * 200 + x]
      return [v, v, v]
    })
    expect(straddlesSeam(texture, { x: 50, y: 50, width: 100, height: 100 })).toBe(false)
  })
})
