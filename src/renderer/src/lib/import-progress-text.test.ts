import { describe, expect, it } from 'vitest'
import { importProgressText } from './import-progress-text'

describe('importProgressText', () => {
  it('groups thousands, and names photos and faces only when faces are being found', () => {
    expect(importProgressText({ done: 2200, total: 10000, imported: 2200, skipped: 0 })).toBe('2,200 / 10,000 · 2,200 imported · 0 skipped')
    expect(importProgressText({ done: 12, total: 1500, imported: 30, skipped: 1, faces: 30, etaSec: 90 })).toBe(
      '12 / 1,500 photos · 30 faces found · 30 imported · 1 skipped · 1 min 30 s left'
    )
  })
})
