import { describe, expect, it } from 'vitest'
import { betaFromSlider, betaMax, sliderFromBeta, sliderSteps } from './beta-scale'

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
})
