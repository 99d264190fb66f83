import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { addGaussianNoise, addSaltPepper, maskRect } from './corrupt'

const gray = (width: number, height: number, channels: 1 | 3 = 3, value = 128): RawImage => ({
  width,
  height,
  channels,
  pixels: new Uint8Array(width * height * channels).fill(value)
})

describe('gaussian noise', () => {
  it('has the requested standard deviation, zero mean, and is reproducible by seed', () => {
    const img = gray(64, 64)
    const noisy = addGaussianNoise(img, 0.1, 7)
    const diffs = Array.from(noisy.pixels, (v, i) => v - img.pixels[i])
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / diffs.length)
    expect(Math.abs(mean)).toBeLessThan(0.5)
    expect(sd).toBeGreaterThan(25.5 * 0.95)
    expect(sd).toBeLessThan(25.5 * 1.05)
    expect(Buffer.compare(addGaussianNoise(img, 0.1, 7).pixels, noisy.pixels)).toBe(0)
    expect(Buffer.compare(addGaussianNoise(img, 0.1, 8).pixels, noisy.pixels)).not.toBe(0)
    expect(img.pixels.every((v) => v === 128)).toBe(true)
  })

  it('clamps to [0, 255] and σ = 0 changes nothing', () => {
    const noisy = addGaussianNoise(gray(16, 16, 1, 250), 0.5, 1)
    expect(Math.max(...noisy.pixels)).toBe(255)
    expect(addGaussianNoise(gray(4, 4), 0, 1).pixels).toEqual(gray(4, 4).pixels)
    expect(() => addGaussianNoise(gray(4, 4), -1, 1)).toThrow()
  })
})

describe('salt and pepper', () => {
  it('turns about `amount` of the pixels, whole pixels, to black or white', () => {
    const img = gray(100, 100)
    const noisy = addSaltPepper(img, 0.2, 3)
    let hit = 0
    let white = 0
    let malformed = 0
    for (let p = 0; p < 10_000; p++) {
      const [r, g, b] = noisy.pixels.subarray(p * 3, p * 3 + 3)
      if (r === 128 && g === 128 && b === 128) continue
      hit++
      if (r !== g || r !== b || (r !== 0 && r !== 255)) malformed++
      if (r === 255) white++
    }
    expect(malformed).toBe(0)
    expect(hit / 10_000).toBeGreaterThan(0.18)
    expect(hit / 10_000).toBeLessThan(0.22)
    expect(white / hit).toBeGreaterThan(0.45)
    expect(white / hit).toBeLessThan(0.55)
  })
})

describe('maskRect', () => {
  it('fills exactly the clipped rectangle', () => {
    const masked = maskRect(gray(5, 4, 1), { x: 3, y: 1, width: 10, height: 2 }, 9)
    expect(Array.from(masked.pixels)).toEqual([
      ...[128, 128, 128, 128, 128],
      ...[128, 128, 128, 9, 9],
      ...[128, 128, 128, 9, 9],
      ...[128, 128, 128, 128, 128]
    ])
    const rgb = maskRect(gray(3, 1), { x: -1, y: 0, width: 2, height: 1 })
    expect(Array.from(rgb.pixels)).toEqual([0, 0, 0, 128, 128, 128, 128, 128, 128])
  })
})
