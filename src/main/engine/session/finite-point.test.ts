import { describe, expect, it } from 'vitest'
import type { QualityPoint } from '../../../shared/results'
import { refuseNonFinite } from './finite-point'

const point: QualityPoint = {
  step: 100,
  frechet: 30,
  kid: 0.02,
  kidStd: 0.001,
  identity: 0.9,
  samples: 128,
  reference: 400,
  heldOut: 40,
  floor: { frechet: 6, kid: 0.001 },
  temperature: 1,
  seconds: 2
}

describe('refuseNonFinite', () => {
  it('lets a finite measurement pass', () => {
    expect(() => refuseNonFinite(point)).not.toThrow()
  })

  it('refuses one with a NaN or an infinity, naming the figures, saying nothing was saved', () => {
    const bad = { ...point, frechet: Number.NaN, floor: { frechet: 6, kid: Number.POSITIVE_INFINITY } }
    expect(() => refuseNonFinite(bad)).toThrow(
      /^the measurement came out as face Fréchet distance NaN, floor of KID Infinity: .* not finite .*; nothing was saved$/
    )
  })
})
