/**
 * Backgrounds for test photos, from a seed: sensor-like noise, smooth gradients, and "rooms"
 * (soft colour fields with flat shapes, like walls and furniture), plus a shoe-like blob for a
 * photo that has an object but no face.
 */
import { Rng } from '../../random/rng'
import type { Picture } from './paste-face'

export type SceneKind = 'noise' | 'gradient' | 'room'

export function makeScene(kind: SceneKind, width: number, height: number, seed: number): Picture {
  const rng = new Rng(seed)
  const pixels = new Uint8Array(width * height * 3)
  const base = [60 + rng.int(140), 60 + rng.int(140), 60 + rng.int(140)]
  if (kind === 'noise') {
    const field = valueNoise(width, height, 24 + rng.int(64), rng)
    for (let i = 0, p = 0; i < width * height; i++, p += 3) {
      for (let c = 0; c < 3; c++) pixels[p + c] = clamp(base[c] + (field[i] - 0.5) * 80 + rng.normal() * 35)
    }
  } else if (kind === 'gradient') {
    const other = [rng.int(256), rng.int(256), rng.int(256)]
    const angle = rng.next() * Math.PI * 2
    const [ux, uy] = [Math.cos(angle), Math.sin(angle)]
    const span = Math.abs(ux) * width + Math.abs(uy) * height
    for (let y = 0, p = 0; y < height; y++) {
      for (let x = 0; x < width; x++, p += 3) {
        const t = ((x - width / 2) * ux + (y - height / 2) * uy) / span + 0.5
        for (let c = 0; c < 3; c++) pixels[p + c] = clamp(base[c] * (1 - t) + other[c] * t + rng.normal() * 3)
      }
    }
  } else {
    const fields = [0, 1, 2].map(() => valueNoise(width, height, Math.max(width, height) / (2 + rng.int(4)), rng))
    for (let i = 0, p = 0; i < width * height; i++, p += 3) {
      for (let c = 0; c < 3; c++) pixels[p + c] = clamp(base[c] + (fields[c][i] - 0.5) * 120)
    }
    const picture = { width, height, pixels }
    for (let k = 0, n = 3 + rng.int(5); k < n; k++) {
      const w = width * (0.1 + rng.next() * 0.4)
      const h = height * (0.1 + rng.next() * 0.5)
      const colour: [number, number, number] = [rng.int(256), rng.int(256), rng.int(256)]
      fillShape(picture, rng.next() * width, rng.next() * height, w, h, colour, rng.next() < 0.5 ? 2 : 8)
    }
    for (let i = 0; i < pixels.length; i++) pixels[i] = clamp(pixels[i] + rng.normal() * 4)
  }
  return { width, height, pixels }
}

/** A dark, long, rounded blob with a light sole: an object that is not a face. */
export function drawShoe(picture: Picture, cx: number, cy: number, length: number, seed: number): void {
  const rng = new Rng(seed)
  const colour: [number, number, number] = [40 + rng.int(60), 25 + rng.int(40), 15 + rng.int(30)]
  fillShape(picture, cx, cy, length, length * 0.38, colour, 3)
  fillShape(picture, cx + length * 0.3, cy - length * 0.18, length * 0.35, length * 0.3, colour, 2.5)
  fillShape(picture, cx, cy + length * 0.17, length * 1.02, length * 0.07, [225, 220, 205], 8)
}

/** A superellipse of the given power (2: ellipse, large: rectangle) with a one-pixel soft edge. */
function fillShape(picture: Picture, cx: number, cy: number, w: number, h: number, colour: [number, number, number], power: number): void {
  const { width, height, pixels } = picture
  const x0 = Math.max(0, Math.floor(cx - w / 2))
  const x1 = Math.min(width, Math.ceil(cx + w / 2))
  const y0 = Math.max(0, Math.floor(cy - h / 2))
  const y1 = Math.min(height, Math.ceil(cy + h / 2))
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const u = Math.abs((x + 0.5 - cx) / (w / 2))
      const v = Math.abs((y + 0.5 - cy) / (h / 2))
      const r = Math.pow(u ** power + v ** power, 1 / power)
      const alpha = Math.max(0, Math.min(1, (1 - r) * Math.min(w, h) * 0.5))
      if (alpha <= 0) continue
      const p = (y * width + x) * 3
      for (let c = 0; c < 3; c++) pixels[p + c] = Math.round(pixels[p + c] * (1 - alpha) + colour[c] * alpha)
    }
  }
}

/** Smooth random field in [0, 1]: random values on a grid of `cell` pixels, smoothstep-interpolated. */
function valueNoise(width: number, height: number, cell: number, rng: Rng): Float32Array {
  const gw = Math.ceil(width / cell) + 2
  const gh = Math.ceil(height / cell) + 2
  const grid = Float32Array.from({ length: gw * gh }, () => rng.next())
  const field = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    const gy = y / cell
    const iy = Math.floor(gy)
    const fy = smooth(gy - iy)
    for (let x = 0; x < width; x++) {
      const gx = x / cell
      const ix = Math.floor(gx)
      const fx = smooth(gx - ix)
      const a = grid[iy * gw + ix] * (1 - fx) + grid[iy * gw + ix + 1] * fx
      const b = grid[(iy + 1) * gw + ix] * (1 - fx) + grid[(iy + 1) * gw + ix + 1] * fx
      field[y * width + x] = a * (1 - fy) + b * fy
    }
  }
  return field
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t)
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value)
}
