import { describe, expect, it } from 'vitest'
import { generateDemoFaces } from '../demo/generate'
import { datasetRowToRawImage } from '../image/raw-images'
import { addGaussianNoise } from './corrupt'
import { nearestImage, type PixelDataset } from './nearest-image'

const count = 300
const dataset: PixelDataset = { images: generateDemoFaces(count, 21, 32).images, size: 32, channels: 3, count }

function bruteForce(target: Uint8Array): { index: number; distance: number } {
  const len = 32 * 32 * 3
  let best = { index: -1, distance: Infinity }
  for (let n = 0; n < count; n++) {
    let sum = 0
    for (let i = 0; i < len; i++) sum += ((dataset.images[n * len + i] - target[i]) / 255) ** 2
    const distance = Math.sqrt(sum / len)
    if (distance < best.distance) best = { index: n, distance }
  }
  return best
}

describe('nearestImage', () => {
  it('finds an image that is in the set at distance 0', () => {
    expect(nearestImage(datasetRowToRawImage(dataset.images, 137, 32, 3), dataset)).toEqual({ index: 137, distance: 0 })
  })

  it('agrees with a brute-force float scan on noisy queries, distance in [0, 1] units', () => {
    for (const [index, seed] of [
      [5, 1],
      [200, 2],
      [299, 3]
    ]) {
      const query = addGaussianNoise(datasetRowToRawImage(dataset.images, index, 32, 3), 0.1, seed)
      const found = nearestImage(query, dataset)
      const expected = bruteForce(query.pixels)
      expect(found.index).toBe(expected.index)
      expect(found.index).toBe(index)
      expect(found.distance).toBeCloseTo(expected.distance, 10)
      expect(found.distance).toBeGreaterThan(0.05)
      expect(found.distance).toBeLessThan(0.15)
    }
  })

  it('measures a black vs white image as distance 1', () => {
    const white = { images: new Uint8Array(2 * 4 * 4).fill(255), size: 4, channels: 1 as const, count: 2 }
    expect(nearestImage({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16) }, white)).toEqual({ index: 0, distance: 1 })
  })

  it('refuses an image of another shape', () => {
    expect(() => nearestImage({ width: 64, height: 64, channels: 3, pixels: new Uint8Array(64 * 64 * 3) }, dataset)).toThrow(
      /dataset holds 32×32×3/
    )
  })
})
