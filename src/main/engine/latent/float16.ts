/**
 * Rounding to IEEE 754 half precision, to show what storing a code in 2 bytes per value costs.
 * (`Math.f16round` arrives only in newer Node versions than the engine supports.)
 */
const maxHalf = 65504

export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x
  const a = Math.abs(x)
  // Halfway between 65504 and the next (unrepresentable) step rounds to infinity.
  if (a >= maxHalf + 16) return Math.sign(x) * Infinity
  const exponent = Math.max(Math.floor(Math.log2(a)), -14)
  const step = 2 ** (exponent - 10)
  const scaled = a / step
  let rounded = Math.round(scaled)
  // Round half to even, as the hardware conversion does.
  if (scaled - Math.floor(scaled) === 0.5 && rounded % 2 === 1) rounded -= 1
  return Math.sign(x) * rounded * step
}
