import { describe, expect, it } from 'vitest'
import { gridLayout, gridWindow, pagesFor } from './virtual-grid'

describe('virtual grid', () => {
  it('fits as many columns as the width allows, gaps between cells only', () => {
    expect(gridLayout(10_000, 700, 64, 6).columns).toBe(10) // 10·64 + 9·6 = 694
    expect(gridLayout(10_000, 693, 64, 6).columns).toBe(9)
    expect(gridLayout(10, 10, 64, 6).columns).toBe(1)
    const layout = gridLayout(10_000, 700, 64, 6)
    expect(layout.rows).toBe(1000)
    expect(layout.totalHeight).toBe(1000 * 70 - 6)
    expect(gridLayout(0, 700, 64, 6)).toMatchObject({ rows: 0, totalHeight: 0 })
  })

  it('renders only the rows in view plus the overscan, for any scroll position', () => {
    const layout = gridLayout(10_000, 700, 64, 6)
    const top = gridWindow(layout, 10_000, 0, 500, 64, 6, 2)
    expect(top).toEqual({ from: 0, to: 100, offsetY: 0 }) // rows 0..9 (8 visible + 2 overscan)
    const middle = gridWindow(layout, 10_000, 70 * 500 + 10, 500, 64, 6, 2)
    expect(middle.from).toBe(498 * 10)
    expect(middle.offsetY).toBe(498 * 70)
    expect(middle.to - middle.from).toBeLessThanOrEqual(13 * 10)
    const bottom = gridWindow(layout, 10_000, layout.totalHeight - 500, 500, 64, 6, 2)
    expect(bottom.to).toBe(10_000)
  })

  it('never runs past a partly filled last row', () => {
    const layout = gridLayout(95, 700, 64, 6)
    expect(gridWindow(layout, 95, 0, 10_000, 64, 6)).toMatchObject({ from: 0, to: 95 })
  })

  it('names the pages covering a range', () => {
    expect(pagesFor(0, 128, 128)).toEqual([0])
    expect(pagesFor(100, 300, 128)).toEqual([0, 1, 2])
    expect(pagesFor(5, 5, 128)).toEqual([])
  })
})
