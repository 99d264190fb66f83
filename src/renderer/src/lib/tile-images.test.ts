import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { tileImages } from './tile-images'

const gray = (v: number): RawImage => ({ width: 2, height: 1, channels: 1, pixels: new Uint8Array([v, v + 1]) })

describe('tileImages', () => {
  it('places images row by row with a gap of background pixels', () => {
    const tiled = tileImages([gray(10), gray(20), gray(30)], 2, 1, 0)
    expect(tiled).toMatchObject({ width: 5, height: 3, channels: 1 })
    expect(Array.from(tiled.pixels)).toEqual([10, 11, 0, 20, 21, 0, 0, 0, 0, 0, 30, 31, 0, 0, 0])
  })

  it('refuses images of different sizes', () => {
    expect(() => tileImages([gray(1), { width: 1, height: 1, channels: 1, pixels: new Uint8Array(1) }], 2)).toThrow(/same size/)
  })
})
