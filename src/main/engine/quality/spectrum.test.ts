import { describe, expect, it } from 'vitest'
import { Rng } from '../random/rng'
import {
  fft,
  gridFigure,
  normalisedGrey,
  periodicPowerSpectrum,
  powerSpectrum,
  setSpectrum,
  sharpnessFigure,
  spectralFigures,
  type SpectrumImage
} from './spectrum'

const n = 64

function directDftPower(x: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size * size)
  for (let u = 0; u < size; u++) {
    for (let v = 0; v < size; v++) {
      let re = 0
      let im = 0
      for (let y = 0; y < size; y++) {
        for (let x0 = 0; x0 < size; x0++) {
          const angle = (-2 * Math.PI * (u * y + v * x0)) / size
          re += x[y * size + x0] * Math.cos(angle)
          im += x[y * size + x0] * Math.sin(angle)
        }
      }
      out[u * size + v] = re * re + im * im
    }
  }
  return out
}

function grey(values: (x: number, y: number) => number, size = n): SpectrumImage {
  const pixels = new Uint8Array(size * size)
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = Math.max(0, Math.min(255, Math.round(values(x, y))))
  return { width: size, height: size, channels: 1, pixels }
}

/** Smooth random images: a sum of a few low-frequency waves with random phases, plus faint pixel noise. */
function smoothNoise(count: number, seed: number): SpectrumImage[] {
  const rng = new Rng(seed)
  return Array.from({ length: count }, () => {
    const waves = Array.from({ length: 12 }, () => ({
      fx: rng.next() * 6,
      fy: rng.next() * 6,
      phase: rng.next() * 2 * Math.PI,
      amp: 10 + rng.next() * 20
    }))
    const noise = Array.from({ length: n * n }, () => (rng.next() - 0.5) * 12)
    return grey(
      (x, y) =>
        128 + waves.reduce((s, w) => s + w.amp * Math.cos((2 * Math.PI * (w.fx * x + w.fy * y)) / n + w.phase), 0) + noise[y * n + x]
    )
  })
}

/** The same images with a seam every 16 px (a darker row and column), as a convT stack leaves. */
function withSeams(images: SpectrumImage[]): SpectrumImage[] {
  return images.map((img) => grey((x, y) => img.pixels[y * n + x] - (x % 16 === 0 || y % 16 === 0 ? 25 : 0)))
}

/** Photo-like images: a ramp between unequal borders (as a lit face on a dark ground), a blob, fine texture. */
function photos(count: number, seed: number): SpectrumImage[] {
  const rng = new Rng(seed)
  return Array.from({ length: count }, () => {
    const [a, b, cx, cy] = [40 + rng.next() * 60, 40 + rng.next() * 60, 20 + rng.next() * 24, 20 + rng.next() * 24]
    const texture = Array.from({ length: n * n }, () => (rng.next() - 0.5) * 40)
    return grey((x, y) => 40 + a * (y / n) + b * (x / n) + 60 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 200) + texture[y * n + x])
  })
}

/** A 3×3 box blur, edges clamped. */
function blurred(images: SpectrumImage[]): SpectrumImage[] {
  return images.map((img) =>
    grey((x, y) => {
      let s = 0
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) s += img.pixels[Math.min(n - 1, Math.max(0, y + dy)) * n + Math.min(n - 1, Math.max(0, x + dx))]
      return s / 9
    })
  )
}

describe('spectrum', () => {
  it('fft matches a direct DFT (1-D and 2-D power)', () => {
    const rng = new Rng(3)
    const re = Float64Array.from({ length: 16 }, () => rng.next() - 0.5)
    const im = Float64Array.from({ length: 16 }, () => rng.next() - 0.5)
    const [fr, fi] = [Float64Array.from(re), Float64Array.from(im)]
    fft(fr, fi)
    for (let k = 0; k < 16; k++) {
      let sr = 0
      let si = 0
      for (let t = 0; t < 16; t++) {
        const a = (-2 * Math.PI * k * t) / 16
        sr += re[t] * Math.cos(a) - im[t] * Math.sin(a)
        si += re[t] * Math.sin(a) + im[t] * Math.cos(a)
      }
      expect(fr[k]).toBeCloseTo(sr, 10)
      expect(fi[k]).toBeCloseTo(si, 10)
    }
    const x = Float64Array.from({ length: 8 * 8 }, () => rng.next())
    const fast = powerSpectrum(x, 8)
    const direct = directDftPower(x, 8)
    direct.forEach((v, i) => expect(fast[i]).toBeCloseTo(v, 9))
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(/power-of-two/)
  })

  it('turns RGB into grey, resizes to 64 px and removes the mean', () => {
    const rgb: SpectrumImage = {
      width: 2,
      height: 2,
      channels: 3,
      pixels: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
    }
    const g = normalisedGrey(rgb)
    expect(g.length).toBe(64 * 64)
    expect(g.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9)
    // Top-left corner is pure red: luma 0.299, minus the mean of (0.299 + 0.587 + 0.114 + 1) / 4.
    expect(g[0]).toBeCloseTo(0.299 - 0.5, 9)
    const flat = normalisedGrey(grey(() => 77, 32))
    expect(Math.max(...flat.map(Math.abs))).toBeLessThan(1e-12)
  })

  it('puts a planted period-16 seam pattern far above smooth images on the grid figure', () => {
    const smooth = smoothNoise(24, 1)
    const seamed = withSeams(smooth)
    const gridSmooth = gridFigure(setSpectrum(smooth))
    const gridSeamed = gridFigure(setSpectrum(seamed))
    expect(gridSmooth).toBeLessThan(3)
    expect(gridSeamed).toBeGreaterThan(10 * gridSmooth)
    const figures = spectralFigures(seamed, smooth)
    expect(figures.grid).toBeGreaterThan(10)
    expect(figures.absolute.samples.grid).toBeCloseTo(gridSeamed, 9)
  })

  it('gives 1 for a set against itself, and a checkerboard shows at (32, 32)', () => {
    const smooth = smoothNoise(8, 2)
    const same = spectralFigures(smooth, smooth)
    expect(same.grid).toBeCloseTo(1, 12)
    expect(same.sharpness).toBeCloseTo(1, 12)
    const checker = smooth.map((img) => grey((x, y) => img.pixels[y * n + x] + ((x + y) % 2 ? 8 : -8)))
    expect(spectralFigures(checker, smooth).grid).toBeGreaterThan(5)
  })

  it('sees blur as a lower sharpness share, and sharpening as a higher one', () => {
    const rng = new Rng(5)
    const detailed = Array.from({ length: 8 }, () => grey(() => 128 + (rng.next() - 0.5) * 200))
    const sharp = sharpnessFigure(setSpectrum(detailed))
    // White noise spreads power evenly: the share beyond radius 16 is 1 − π·16²/64² ≈ 0.80.
    expect(sharp).toBeGreaterThan(0.75)
    expect(sharp).toBeLessThan(0.85)
    const soft = spectralFigures(blurred(detailed), detailed)
    expect(soft.sharpness).toBeLessThan(0.5)
    expect(spectralFigures(detailed, blurred(detailed)).sharpness).toBeGreaterThan(2)
  })

  it('takes the periodic component Moisan defines: its periodic Laplacian is the image’s Laplacian inside the borders', () => {
    const size = 8
    const rng = new Rng(9)
    const x = Float64Array.from({ length: size * size }, (_, i) => (i % size) / size + rng.next() * 0.2)
    const power = periodicPowerSpectrum(x, size)
    // p from |P|² alone is not unique, so rebuild P = X − S by direct DFTs and check p in space.
    const at = (img: Float64Array, y: number, x0: number) => img[((y + size) % size) * size + ((x0 + size) % size)]
    const v = new Float64Array(size * size)
    for (let k = 0; k < size; k++) {
      v[k] += at(x, size - 1, k) - at(x, 0, k)
      v[(size - 1) * size + k] -= at(x, size - 1, k) - at(x, 0, k)
      v[k * size] += at(x, k, size - 1) - at(x, k, 0)
      v[k * size + size - 1] -= at(x, k, size - 1) - at(x, k, 0)
    }
    const p = new Float64Array(size * size)
    for (let y = 0; y < size; y++) {
      for (let x0 = 0; x0 < size; x0++) {
        let s = 0
        for (let q = 0; q < size; q++) {
          for (let r = 0; r < size; r++) {
            if (q === 0 && r === 0) continue
            let [vr, vi] = [0, 0]
            for (let b = 0; b < size; b++) {
              for (let c = 0; c < size; c++) {
                const angle = (-2 * Math.PI * (q * b + r * c)) / size
                vr += v[b * size + c] * Math.cos(angle)
                vi += v[b * size + c] * Math.sin(angle)
              }
            }
            const d = 2 * Math.cos((2 * Math.PI * q) / size) + 2 * Math.cos((2 * Math.PI * r) / size) - 4
            const angle = (2 * Math.PI * (q * y + r * x0)) / size
            s += (vr * Math.cos(angle) - vi * Math.sin(angle)) / d / (size * size)
          }
        }
        p[y * size + x0] = at(x, y, x0) - s
      }
    }
    for (let y = 0; y < size; y++) {
      for (let x0 = 0; x0 < size; x0++) {
        const periodicLaplacian = at(p, y - 1, x0) + at(p, y + 1, x0) + at(p, y, x0 - 1) + at(p, y, x0 + 1) - 4 * at(p, y, x0)
        const inside = [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1]
        ].filter(([dy, dx]) => y + dy >= 0 && y + dy < size && x0 + dx >= 0 && x0 + dx < size)
        const interiorLaplacian = inside.reduce((sum, [dy, dx]) => sum + at(x, y + dy, x0 + dx) - at(x, y, x0), 0)
        expect(periodicLaplacian).toBeCloseTo(interiorLaplacian, 9)
      }
    }
    directDftPower(p, size).forEach((value, i) => expect(power[i]).toBeCloseTo(value, 9))
    // The border jump of this near-ramp is most of its plain axis power; little of it stays in p.
    expect(power[1]).toBeLessThan(0.05 * powerSpectrum(x, size)[1])
  })

  it('with periodic edges, sees seams on photo-like images and not blur; the plain FFT sees blur as a grid', () => {
    const real = photos(32, 7)
    const soft = blurred(real)
    const seamed = withSeams(real)
    // The first definition ('wrap'): border power on the axes, relative to rings that blur empties.
    expect(spectralFigures(soft, real, { edges: 'wrap' }).grid).toBeGreaterThan(3)
    const periodic = {
      blur: spectralFigures(soft, real),
      seams: spectralFigures(seamed, real),
      both: spectralFigures(withSeams(soft), real)
    }
    expect(periodic.blur.grid).toBeLessThan(2)
    expect(periodic.seams.grid).toBeGreaterThan(3)
    expect(periodic.both.grid).toBeGreaterThan(3 * periodic.blur.grid)
    expect(periodic.blur.sharpness).toBeLessThan(0.3)
    expect(() => spectralFigures(soft, setSpectrum(real, 'wrap'), { edges: 'periodic' })).toThrow(/edges/)
  })

  it('refuses an empty set', () => {
    expect(() => setSpectrum([])).toThrow(/at least one image/)
  })
})
