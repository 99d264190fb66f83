import { describe, expect, it } from 'vitest'
import { countOf, formatCount, formatDuration, formatNumber, formatRate } from './format'

describe('format', () => {
  it('writes durations the way a person reads them', () => {
    expect(formatDuration(42.4)).toBe('42 s')
    expect(formatDuration(125)).toBe('2 min 05 s')
    expect(formatDuration(3 * 3600 + 7 * 60)).toBe('3 h 07 min')
    expect(formatDuration(Number.NaN)).toBe('—')
  })

  it('keeps four significant digits', () => {
    expect(formatNumber(1234.5678)).toBe('1235')
    expect(formatNumber(0.012345)).toBe('0.01235')
    expect(formatNumber(0.00001)).toBe('1.00e-5')
    expect(formatNumber(null)).toBe('—')
  })

  it('writes rates with three significant figures, whole numbers from 100 on', () => {
    expect(formatRate(0.753211)).toBe('0.753')
    expect(formatRate(0.75)).toBe('0.75')
    expect(formatRate(48.04)).toBe('48')
    expect(formatRate(4.2849)).toBe('4.28')
    expect(formatRate(1234.56)).toBe('1235')
    expect(formatRate(0.0001234)).toBe('0.000123')
    expect(formatRate(undefined)).toBe('—')
  })

  it('puts the noun in the form the count needs', () => {
    expect(countOf(1, 'frame')).toBe('1 frame')
    expect(countOf(0, 'frame')).toBe('0 frames')
    expect(countOf(2, 'face')).toBe('2 faces')
    expect(countOf(3, 'photo', 'photos')).toBe('3 photos')
    expect(countOf(12400, 'face')).toBe('12,400 faces')
  })

  it('groups thousands in counts', () => {
    expect(formatCount(999)).toBe('999')
    expect(formatCount(50000)).toBe('50,000')
    expect(formatCount(1234567)).toBe('1,234,567')
  })
})
