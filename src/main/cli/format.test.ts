import { describe, expect, it } from 'vitest'
import { formatDuration, formatNumber, progressBar } from './format'

describe('terminal formatting', () => {
  it('formats durations compactly', () => {
    expect(formatDuration(5)).toBe('5s')
    expect(formatDuration(125)).toBe('2m05s')
    expect(formatDuration(3725)).toBe('1h02m')
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—')
  })

  it('draws a bar proportional to progress', () => {
    expect(progressBar(0.5, 10)).toBe('[#####-----]')
    expect(progressBar(2, 4)).toBe('[####]')
  })

  it('keeps large losses short', () => {
    expect(formatNumber(1234.567)).toBe('1235')
    expect(formatNumber(12.345)).toBe('12.35')
  })
})
