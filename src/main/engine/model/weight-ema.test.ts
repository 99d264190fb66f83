import { describe, expect, it } from 'vitest'
import { WeightEma } from './weight-ema'

const arrays = (...values: number[]) => [{ name: 'w', shape: [values.length], data: Float32Array.from(values) }]

describe('WeightEma', () => {
  it('starts at the first weights and follows with the warm-up decay, then the set decay', () => {
    const ema = new WeightEma(0.5)
    expect(ema.weights()).toBeNull()
    ema.update(arrays(4, 0))
    expect(Array.from(ema.weights()![0].data)).toEqual([4, 0])
    // Second update: warm-up decay (1 + 1) / (10 + 1) = 2/11, below 0.5.
    expect(ema.currentDecay).toBeCloseTo(2 / 11, 12)
    ema.update(arrays(15, 11))
    const [a, b] = ema.weights()![0].data
    expect(a).toBeCloseTo((2 / 11) * 4 + (9 / 11) * 15, 5)
    expect(b).toBeCloseTo(9, 5)
    for (let i = 0; i < 20; i++) ema.update(arrays(0, 0))
    expect(ema.currentDecay).toBe(0.5)
  })

  it('keeps the set decay from the second update without warm-up', () => {
    const ema = new WeightEma(0.5, false)
    ema.update(arrays(4))
    ema.update(arrays(0))
    expect(ema.weights()![0].data[0]).toBe(2)
  })

  it('hands out copies and refuses updates of another shape', () => {
    const ema = new WeightEma(0.9)
    const w = arrays(1, 2)
    ema.update(w)
    w[0].data[0] = 100
    ema.weights()![0].data[1] = 100
    expect(Array.from(ema.weights()![0].data)).toEqual([1, 2])
    expect(() => ema.update(arrays(1, 2, 3))).toThrow(/changed size/)
    expect(() => new WeightEma(1)).toThrow(/decay/)
  })
})
