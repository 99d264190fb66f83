import { describe, expect, it } from 'vitest'
import { BetaScale, sliderSteps } from './beta-scale'

describe('β slider scale', () => {
  const unit = new BetaScale(1)
  const tens = new BetaScale(10)

  it('spends half its travel on 0–2 units and reaches 20', () => {
    expect(unit.fromSlider(0)).toBe(0)
    expect(unit.fromSlider(sliderSteps / 2)).toBe(2)
    expect(unit.fromSlider(sliderSteps)).toBe(20)
    expect(unit.fromSlider(1)).toBeCloseTo(0.004, 6)
    expect(unit.fromSlider(sliderSteps / 4)).toBe(1)
    // The calibrated Gaussian's scale: its β 16 sits in the fine half, and the travel reaches 200.
    expect(tens.fromSlider(sliderSteps / 2)).toBe(20)
    expect(tens.fromSlider(sliderSteps)).toBe(200)
    expect(tens.toSlider(16)).toBe(400)
    expect(tens.fromSlider(1)).toBeCloseTo(0.04, 6)
  })

  it('round-trips every slider position', () => {
    for (const scale of [unit, tens]) for (let p = 0; p <= sliderSteps; p++) expect(scale.toSlider(scale.fromSlider(p))).toBe(p)
  })

  it('clamps values outside the range', () => {
    expect(unit.toSlider(-1)).toBe(0)
    expect(unit.toSlider(500)).toBe(sliderSteps)
    expect(tens.toSlider(5000)).toBe(sliderSteps)
  })

  it('moves by sensible key steps, snapped to round values', () => {
    expect(unit.afterKey(1, 'ArrowRight', false)).toBe(1.05)
    expect(unit.afterKey(1, 'ArrowUp', false)).toBe(1.05)
    expect(unit.afterKey(1.03, 'ArrowLeft', false)).toBe(1)
    expect(unit.afterKey(1, 'ArrowRight', true)).toBe(1.5)
    expect(unit.afterKey(1, 'PageUp', false)).toBe(1.5)
    expect(unit.afterKey(1.8, 'PageUp', false)).toBe(2)
    expect(unit.afterKey(2, 'ArrowRight', false)).toBe(2.5)
    expect(unit.afterKey(2, 'ArrowLeft', false)).toBe(1.95)
    expect(unit.afterKey(2.5, 'ArrowLeft', false)).toBe(2)
    expect(unit.afterKey(2, 'PageUp', false)).toBe(5)
    expect(unit.afterKey(0, 'ArrowLeft', false)).toBe(0)
    expect(unit.afterKey(19.8, 'ArrowRight', true)).toBe(20)
    expect(unit.afterKey(7, 'Home', false)).toBe(0)
    expect(unit.afterKey(7, 'End', false)).toBe(20)
    expect(unit.afterKey(7, 'Enter', false)).toBeNull()
    // Ten times the steps on the Gaussian's scale.
    expect(tens.afterKey(16, 'ArrowRight', false)).toBe(16.5)
    expect(tens.afterKey(16, 'ArrowLeft', true)).toBe(15)
    expect(tens.afterKey(18, 'PageUp', false)).toBe(20)
    expect(tens.afterKey(20, 'ArrowRight', false)).toBe(25)
    expect(tens.afterKey(7, 'End', false)).toBe(200)
  })
})
