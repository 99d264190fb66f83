import { describe, expect, it } from 'vitest'
import { Rng } from '../random/rng'
import { hsl, scale, skinColor } from './color'
import { demoFaceRegions, faceTransform, type PixelBox } from './face-layout'
import { sampleDemoFactors, type DemoFactors } from './factors'
import { renderDemoFace } from './render-face'

function someFaces(n: number, seed: number): DemoFactors[] {
  const rng = new Rng(seed)
  return Array.from({ length: n }, () => sampleDemoFactors(rng))
}

/** Pixels (x, y) where the two renders differ by more than 8 levels in some channel. */
function changedPixels(a: Uint8Array, b: Uint8Array, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let p = 0; p < size * size; p++) {
    let d = 0
    for (let ch = 0; ch < 3; ch++) d = Math.max(d, Math.abs(a[3 * p + ch] - b[3 * p + ch]))
    if (d > 8) out.push([p % size, Math.floor(p / size)])
  }
  return out
}

function inside(box: PixelBox, [x, y]: [number, number]): boolean {
  return x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1
}

function pixel(img: Uint8Array, size: number, x: number, y: number): number[] {
  const i = (Math.floor(y) * size + Math.floor(x)) * 3
  return [img[i], img[i + 1], img[i + 2]]
}

describe('renderDemoFace', () => {
  it('is deterministic and returns size×size×3 bytes', () => {
    const [f] = someFaces(1, 3)
    const a = renderDemoFace(f)
    expect(a).toHaveLength(64 * 64 * 3)
    expect(Buffer.from(renderDemoFace({ ...f })).equals(Buffer.from(a))).toBe(true)
  })

  it('renders at 32 and 128 pixels as the same picture', () => {
    for (const f of someFaces(5, 4)) {
      const small = renderDemoFace(f, 32)
      const large = renderDemoFace(f, 128)
      expect(small).toHaveLength(32 * 32 * 3)
      expect(large).toHaveLength(128 * 128 * 3)
      // Box-downsampled, the 128-pixel face matches the 32-pixel one except along edges.
      let close = 0
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          for (let ch = 0; ch < 3; ch++) {
            let sum = 0
            for (let dy = 0; dy < 4; dy++) {
              for (let dx = 0; dx < 4; dx++) sum += large[((4 * y + dy) * 128 + 4 * x + dx) * 3 + ch]
            }
            if (Math.abs(sum / 16 - small[(y * 32 + x) * 3 + ch]) < 24) close++
          }
        }
      }
      expect(close / (32 * 32 * 3)).toBeGreaterThan(0.9)
    }
  })

  it('paints the background and skin colours the factors ask for', () => {
    for (const f of someFaces(20, 5)) {
      const img = renderDemoFace(f)
      const bg = hsl(f.backgroundHue, 0.45, 0.78)
      pixel(img, 64, 0, 0).forEach((v, ch) => expect(Math.abs(v - bg[ch])).toBeLessThanOrEqual(1))
      // A point on the cheek, between the eye and the mouth.
      const t = faceTransform(f, 64)
      const skin = skinColor(f.skinTone)
      pixel(img, 64, t.originX - 8 * t.pxPerUnit, t.originY + 5 * t.pxPerUnit).forEach((v, ch) =>
        expect(Math.abs(v - skin[ch])).toBeLessThanOrEqual(1)
      )
    }
  })

  it('lets long hair fall to the shoulders and keeps short hair off them', () => {
    for (const f of someFaces(20, 10)) {
      const t = faceTransform(f, 64)
      const hairColor = scale(hsl(f.hairHue, 0.55, 0.32), 0.8)
      const bg = hsl(f.backgroundHue, 0.45, 0.78)
      // Beside the neck, below the chin: hair when long, background when short.
      const x = t.originX + 16 * t.pxPerUnit
      const y = t.originY + 21 * t.pxPerUnit
      const long = pixel(renderDemoFace({ ...f, hairLength: 1 }), 64, x, y)
      const short = pixel(renderDemoFace({ ...f, hairLength: 0 }), 64, x, y)
      long.forEach((v, ch) => expect(Math.abs(v - hairColor[ch])).toBeLessThanOrEqual(1))
      short.forEach((v, ch) => expect(Math.abs(v - bg[ch])).toBeLessThanOrEqual(1))
    }
  })

  for (const size of [32, 64, 128]) {
    it(`glasses change the eye band and nothing else (${size} px)`, () => {
      for (const f of someFaces(30, 6)) {
        const a = renderDemoFace({ ...f, glasses: false }, size)
        const b = renderDemoFace({ ...f, glasses: true }, size)
        const changed = changedPixels(a, b, size)
        const eyes = demoFaceRegions(f, size).eyes
        // Two rings, a bridge and two arms: a real share of the image, not a speck.
        expect(changed.length).toBeGreaterThan(0.02 * size * size)
        expect(changed.filter((p) => !inside(eyes, p))).toEqual([])
        expect(eyes.y1 - eyes.y0).toBeLessThanOrEqual(0.3 * size)
      }
    })
  }

  it('eyesOpen changes the eye band and nothing else', () => {
    for (const f of someFaces(30, 7)) {
      const closed = renderDemoFace({ ...f, eyesOpen: false })
      const changed = changedPixels(closed, renderDemoFace({ ...f, eyesOpen: true }), 64)
      const { eyes, mouth } = demoFaceRegions(f, 64)
      expect(changed.length).toBeGreaterThan(20)
      expect(changed.filter((p) => !inside(eyes, p))).toEqual([])
      expect(changed.filter((p) => inside(mouth, p))).toEqual([])
    }
  })

  it('smile changes the mouth and nothing else, more for a bigger change', () => {
    for (const f of someFaces(30, 8)) {
      const frown = renderDemoFace({ ...f, smile: -1 })
      const grin = renderDemoFace({ ...f, smile: 1 })
      const slight = renderDemoFace({ ...f, smile: 0.4 })
      const changed = changedPixels(frown, grin, 64)
      const { eyes, mouth } = demoFaceRegions(f, 64)
      expect(changed.length).toBeGreaterThan(15)
      expect(changed.filter((p) => !inside(mouth, p))).toEqual([])
      expect(changed.filter((p) => inside(eyes, p))).toEqual([])
      expect(changedPixels(slight, grin, 64).length).toBeLessThan(changed.length)
    }
  })
})
