import { describe, expect, it } from 'vitest'
import { formatDuration, formatNumber } from './format'

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
})
