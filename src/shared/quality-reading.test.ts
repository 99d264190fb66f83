import { describe, expect, it } from 'vitest'
import { fewFacesWarning, gridText, kidText, reliableReferenceFaces, sharpnessText } from './quality-reading'

describe('reading a quality measurement', () => {
  it('gives KID in thousandths and reads a floor just below zero as ≈ 0', () => {
    expect(kidText(0.00123)).toBe('1.23')
    expect(kidText(-2.36e-4)).toBe('≈ 0')
    expect(kidText(0)).toBe('≈ 0')
    expect(kidText(-0.002)).toBe('-2.00')
  })

  it('warns when the figures rest on too few real faces, naming how many it would need', () => {
    const few = fewFacesWarning({ reference: 32, floor: { frechet: 0.21, kid: 0 } })
    expect(few).toContain('32 real faces')
    expect(few).toContain(`${reliableReferenceFaces}`)
    expect(few).toContain('0.210')
    expect(fewFacesWarning({ reference: reliableReferenceFaces, floor: { frechet: 0.02, kid: 0 } })).toBeNull()
  })

  it('says what sharpness and grid figures mean', () => {
    expect(sharpnessText(0.42)).toContain('blurrier')
    expect(sharpnessText(0.95)).toContain('as sharp as')
    expect(gridText(1.1)).toContain('no visible seams')
    expect(gridText(8.8)).toContain('seams or checkerboard show')
  })
})
