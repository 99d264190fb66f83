import { describe, expect, it } from 'vitest'
import { roundToFloat16 } from './float16'

/** Reference: decode every 16-bit pattern the IEEE way. */
function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exp = (bits >> 10) & 0x1f
  const frac = bits & 0x3ff
  if (exp === 0) return sign * frac * 2 ** -24
  if (exp === 31) return frac ? NaN : sign * Infinity
  return sign * (1 + frac / 1024) * 2 ** (exp - 15)
}

describe('roundToFloat16', () => {
  it('leaves every finite half-precision value unchanged', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const v = halfValue(bits)
      if (!Number.isFinite(v)) continue
      if (roundToFloat16(v) !== v) throw new Error(`0x${bits.toString(16)} (${v}) → ${roundToFloat16(v)}`)
    }
  })

  it('rounds to the nearest half, ties to even, and overflows to infinity', () => {
    expect(roundToFloat16(1 / 3)).toBe(0.333251953125)
    expect(roundToFloat16(-1 / 3)).toBe(-0.333251953125)
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa (1).
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1)
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 * 2 ** -10)
    expect(roundToFloat16(2 ** -26)).toBe(0)
    expect(roundToFloat16(3 * 2 ** -26)).toBe(2 ** -24)
    expect(roundToFloat16(65519)).toBe(65504)
    expect(roundToFloat16(65520)).toBe(Infinity)
  })

  it('keeps a typical code within half a step (relative error ≤ 2^-11)', () => {
    for (const x of [0.123456, -1.98765, 2.5e-3, 3.14159])
      expect(Math.abs(roundToFloat16(x) - x) / Math.abs(x)).toBeLessThanOrEqual(2 ** -11)
  })
})
