import { describe, expect, it } from 'vitest'
import { toRgba } from './raw-image'

describe('toRgba', () => {
  it('spreads a gray value over r, g and b with opaque alpha', () => {
    const rgba = toRgba({ width: 2, height: 1, channels: 1, pixels: new Uint8Array([7, 200]) })
    expect(Array.from(rgba)).toEqual([7, 7, 7, 255, 200, 200, 200, 255])
  })

  it('copies RGB and adds opaque alpha', () => {
    const rgba = toRgba({ width: 1, height: 2, channels: 3, pixels: new Uint8Array([1, 2, 3, 4, 5, 6]) })
    expect(Array.from(rgba)).toEqual([1, 2, 3, 255, 4, 5, 6, 255])
  })
})
