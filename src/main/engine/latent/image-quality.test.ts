import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { addGaussianNoise } from './corrupt'
import { luma, psnr, ssim } from './image-quality'

/** A deterministic pair; the expected figures come from an independent NumPy/SciPy implementation of the same definitions. */
function pair(): { a: RawImage; b: RawImage } {
  const width = 24
  const height = 20
  const a = new Uint8Array(width * height * 3)
  const b = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c
        a[i] = (x * 7 + y * 13 + c * 50) % 256
        b[i] = Math.min(255, Math.max(0, a[i] + ((x * y * 31 + c * 17) % 41) - 20))
      }
    }
  }
  return { a: { width, height, channels: 3, pixels: a }, b: { width, height, channels: 3, pixels: b } }
}

function redChannel(img: RawImage): RawImage {
  return { ...img, channels: 1, pixels: img.pixels.filter((_, i) => i % 3 === 0) }
}

describe('psnr', () => {
  it('matches the reference value and is infinite for identical images', () => {
    const { a, b } = pair()
    expect(psnr(a, b)).toBeCloseTo(26.73422061973649, 10)
    expect(psnr(a, a)).toBe(Infinity)
  })

  it('is 20·log10(255/d) for a uniform error d', () => {
    const a: RawImage = { width: 2, height: 2, channels: 1, pixels: new Uint8Array([10, 20, 30, 40]) }
    const b: RawImage = { ...a, pixels: a.pixels.map((v) => v + 5) }
    expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255 / 5), 12)
  })

  it('refuses images of different shapes', () => {
    const { a } = pair()
    expect(() => psnr(a, redChannel(a))).toThrow(/differ in shape/)
  })
})

describe('ssim', () => {
  it('matches the reference implementation on colour (luma) and grayscale images', () => {
    const { a, b } = pair()
    expect(ssim(a, b)).toBeCloseTo(0.9835817881382649, 10)
    expect(ssim(redChannel(a), redChannel(b))).toBeCloseTo(0.944891933833903, 10)
  })

  it('is 1 for identical images, symmetric, and the closed form for two flat images', () => {
    const { a, b } = pair()
    expect(ssim(a, a)).toBeCloseTo(1, 12)
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 12)
    const flat = (v: number): RawImage => ({ width: 12, height: 12, channels: 1, pixels: new Uint8Array(144).fill(v) })
    const c1 = (0.01 * 255) ** 2
    expect(ssim(flat(100), flat(110))).toBeCloseTo((2 * 100 * 110 + c1) / (100 ** 2 + 110 ** 2 + c1), 12)
  })

  it('falls as noise grows', () => {
    const { a } = pair()
    const scores = [0.05, 0.15, 0.4].map((sigma) => ssim(a, addGaussianNoise(a, sigma, 3)))
    expect(scores[0]).toBeGreaterThan(scores[1])
    expect(scores[1]).toBeGreaterThan(scores[2])
  })

  it('uses BT.601 luma', () => {
    const img: RawImage = { width: 1, height: 1, channels: 3, pixels: new Uint8Array([100, 200, 50]) }
    expect(luma(img)[0]).toBeCloseTo(0.299 * 100 + 0.587 * 200 + 0.114 * 50, 12)
  })

  it('refuses images smaller than the window', () => {
    const tiny: RawImage = { width: 8, height: 8, channels: 1, pixels: new Uint8Array(64) }
    expect(() => ssim(tiny, tiny)).toThrow(/at least 11×11/)
  })
})
