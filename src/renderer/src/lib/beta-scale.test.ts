import { describe, expect, it } from 'vitest'
import { betaAfterKey, betaFromSlider, betaMax, sliderFromBeta, sliderSteps } from './beta-scale'

describe('β slider scale', () => {
  it('spends half its travel on 0–2 and reaches at least 10', () => {
    expect(betaFromSlider(0)).toBe(0)
    expect(betaFromSlider(sliderSteps / 2)).toBe(2)
    expect(betaFromSlider(sliderSteps)).toBe(betaMax)
    expect(betaMax).toBeGreaterThanOrEqual(10)
    expect(betaFromSlider(1)).toBeCloseTo(0.004, 6)
    expect(betaFromSlider(sliderSteps / 4)).toBe(1)
  })

  it('round-trips every slider position', () => {
    for (let p = 0; p <= sliderSteps; p++) expect(sliderFromBeta(betaFromSlider(p))).toBe(p)
  })

  it('clamps values outside the range', () => {
    expect(sliderFromBeta(-1)).toBe(0)
    expect(sliderFromBeta(500)).toBe(sliderSteps)
  })

  it('moves by sensible key steps, snapped to round values', () => {
    expect(betaAfterKey(1, 'ArrowRight', false)).toBe(1.05)
    expect(betaAfterKey(1, 'ArrowUp', false)).toBe(1.05)
    expect(betaAfterKey(1.03, 'ArrowLeft', false)).toBe(1)
    expect(betaAfterKey(1, 'ArrowRight', true)).toBe(1.5)
    expect(betaAfterKey(1, 'PageUp', false)).toBe(1.5)
    expect(betaAfterKey(1.8, 'PageUp', false)).toBe(2)
    expect(betaAfterKey(2, 'ArrowRight', false)).toBe(2.5)
    expect(betaAfterKey(2, 'ArrowLeft', false)).toBe(1.95)
    expect(betaAfterKey(2.5, 'ArrowLeft', false)).toBe(2)
    expect(betaAfterKey(2, 'PageUp', false)).toBe(5)
    expect(betaAfterKey(0, 'ArrowLeft', false)).toBe(0)
    expect(betaAfterKey(19.8, 'ArrowRight', true)).toBe(betaMax)
    expect(betaAfterKey(7, 'Home', false)).toBe(0)
    expect(betaAfterKey(7, 'End', false)).toBe(betaMax)
    expect(betaAfterKey(7, 'Enter', false)).toBeNull()
  })
})
