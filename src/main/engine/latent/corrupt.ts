/**
 * Damage applied to an image before handing it to the model, for the denoising tool: the VAE never
 * saw noise in training, so its decoder maps a noisy code back onto the clean-face manifold.
 * Seeded, so a shown before/after pair can be reproduced.
 */
import type { RawImage } from '../../../shared/images'
import { Rng } from '../random/rng'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** Adds N(0, σ²) to every channel value; σ in [0, 1] pixel units (0.2 ≈ ±51 grey levels). */
export function addGaussianNoise(img: RawImage, sigma: number, seed: number): RawImage {
  if (!(sigma >= 0)) throw new Error(`noise σ must be ≥ 0, got ${sigma}`)
  const rng = new Rng(seed)
  const scale = sigma * 255
  const pixels = img.pixels.map((v) => clampByte(v + scale * rng.normal()))
  return { ...img, pixels }
}

/** Sets a fraction `amount` of the pixels (all channels) to black or white, half each on average. */
export function addSaltPepper(img: RawImage, amount: number, seed: number): RawImage {
  if (!(amount >= 0 && amount <= 1)) throw new Error(`salt-and-pepper amount must be in [0, 1], got ${amount}`)
  const rng = new Rng(seed)
  const pixels = img.pixels.slice()
  const count = img.width * img.height
  for (let p = 0; p < count; p++) {
    if (rng.next() >= amount) continue
    const value = rng.next() < 0.5 ? 0 : 255
    pixels.fill(value, p * img.channels, (p + 1) * img.channels)
  }
  return { ...img, pixels }
}

/** Paints a rectangle (clipped to the image) with `fill`, default black: an occlusion to inpaint. */
export function maskRect(img: RawImage, rect: Rect, fill = 0): RawImage {
  const pixels = img.pixels.slice()
  const x0 = Math.max(0, Math.floor(rect.x))
  const y0 = Math.max(0, Math.floor(rect.y))
  const x1 = Math.min(img.width, Math.floor(rect.x + rect.width))
  const y1 = Math.min(img.height, Math.floor(rect.y + rect.height))
  for (let y = y0; y < y1; y++) pixels.fill(clampByte(fill), (y * img.width + x0) * img.channels, (y * img.width + x1) * img.channels)
  return { ...img, pixels }
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)
}
