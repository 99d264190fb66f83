import { describe, expect, it } from 'vitest'
import { restoreBounds } from './window-bounds'

const laptop = { workArea: { x: 0, y: 0, width: 1440, height: 900 } }
const external = { workArea: { x: 1440, y: 0, width: 2560, height: 1440 } }

describe('restoreBounds', () => {
  it('reuses bounds that are still on a screen', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, [laptop])).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
      maximized: true
    })
  })

  it('drops bounds left on a screen that is gone', () => {
    const onExternal = { x: 2000, y: 100, width: 1200, height: 800 }
    expect(restoreBounds(onExternal, [laptop, external])).toMatchObject(onExternal)
    expect(restoreBounds(onExternal, [laptop])).toBeUndefined()
    expect(restoreBounds({ x: 1400, y: 0, width: 800, height: 600 }, [laptop])).toBeUndefined()
  })

  it('ignores damaged values', () => {
    for (const damaged of [undefined, null, 'big', { x: 0, y: 0, width: -5, height: 10 }, { x: 0, y: 0, width: 'a', height: 10 }]) {
      expect(restoreBounds(damaged, [laptop])).toBeUndefined()
    }
  })
})
