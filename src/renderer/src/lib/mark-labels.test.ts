import { describe, expect, it } from 'vitest'
import { placeLabels } from './mark-labels'

describe('placeLabels', () => {
  it('keeps labels that fit and leaves out the earlier of two that would overlap', () => {
    const labels = [
      { x: 10, width: 40 },
      { x: 20, width: 40 },
      { x: 100, width: 40 }
    ]
    expect(placeLabels(labels, 0, 400, 4)).toEqual([null, 24, 104])
  })

  it('puts the label at the right edge left of its line', () => {
    expect(placeLabels([{ x: 390, width: 40 }], 0, 400, 4)).toEqual([346])
  })

  it('never places two labels over each other, however many markers there are', () => {
    const labels = Array.from({ length: 200 }, (_, i) => ({ x: i * 2, width: 36 }))
    const placed = placeLabels(labels, 0, 400, 4).filter((p): p is number => p !== null)
    expect(placed.length).toBeGreaterThan(1)
    const sorted = [...placed].sort((a, b) => a - b)
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(36 + 4)
  })
})
