/**
 * Full-reference image quality, for the denoising and compression readouts.
 *
 * PSNR is over every channel value with peak 255. SSIM follows Wang, Bovik, Sheikh & Simoncelli
 * (2004) and their reference `ssim_index.m`: luminance only (BT.601 luma Y = 0.299 R + 0.587 G +
 * 0.114 B for colour images), an 11×11 Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03, L = 255,
 * statistics over "valid" window positions only (no padding), mean of the SSIM map. The reference
 * code's automatic downsampling applies only from 256 px up, so it never triggers at 32–128 px.
 */
import type { RawImage } from '../../../shared/images'

const windowSize = 11
const windowSigma = 1.5
const c1 = (0.01 * 255) ** 2
const c2 = (0.03 * 255) ** 2

function checkSameShape(a: RawImage, b: RawImage): void {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error(`images differ in shape: ${a.width}×${a.height}×${a.channels} and ${b.width}×${b.height}×${b.channels}`)
  }
}

export function mse(a: RawImage, b: RawImage): number {
  checkSameShape(a, b)
  let sum = 0
  for (let i = 0; i < a.pixels.length; i++) {
    const d = a.pixels[i] - b.pixels[i]
    sum += d * d
  }
  return sum / a.pixels.length
}

/** In dB; `Infinity` for identical images (JSON turns that into null: callers that serialise should say "lossless"). */
export function psnr(a: RawImage, b: RawImage): number {
  const m = mse(a, b)
  return m === 0 ? Infinity : 10 * Math.log10((255 * 255) / m)
}

export function luma(img: RawImage): Float64Array {
  const n = img.width * img.height
  const y = new Float64Array(n)
  if (img.channels === 1) {
    for (let i = 0; i < n; i++) y[i] = img.pixels[i]
  } else {
    for (let i = 0; i < n; i++) y[i] = 0.299 * img.pixels[3 * i] + 0.587 * img.pixels[3 * i + 1] + 0.114 * img.pixels[3 * i + 2]
  }
  return y
}

function gaussianWindow(): Float64Array {
  const r = (windowSize - 1) / 2
  const w = new Float64Array(windowSize * windowSize)
  let sum = 0
  for (let y = 0; y < windowSize; y++) {
    for (let x = 0; x < windowSize; x++) {
      const v = Math.exp(-((x - r) ** 2 + (y - r) ** 2) / (2 * windowSigma ** 2))
      w[y * windowSize + x] = v
      sum += v
    }
  }
  return w.map((v) => v / sum)
}

const window = gaussianWindow()

/** Mean SSIM in [−1, 1] (1 = identical). Both images need at least 11×11 pixels. */
export function ssim(a: RawImage, b: RawImage): number {
  checkSameShape(a, b)
  const { width, height } = a
  if (width < windowSize || height < windowSize) throw new Error(`SSIM needs images of at least ${windowSize}×${windowSize} pixels`)
  const ya = luma(a)
  const yb = luma(b)
  const outW = width - windowSize + 1
  const outH = height - windowSize + 1
  let total = 0
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      let ma = 0
      let mb = 0
      let saa = 0
      let sbb = 0
      let sab = 0
      for (let wy = 0; wy < windowSize; wy++) {
        const row = (oy + wy) * width + ox
        for (let wx = 0; wx < windowSize; wx++) {
          const w = window[wy * windowSize + wx]
          const va = ya[row + wx]
          const vb = yb[row + wx]
          ma += w * va
          mb += w * vb
          saa += w * va * va
          sbb += w * vb * vb
          sab += w * va * vb
        }
      }
      const varA = saa - ma * ma
      const varB = sbb - mb * mb
      const cov = sab - ma * mb
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (varA + varB + c2))
    }
  }
  return total / (outW * outH)
}
