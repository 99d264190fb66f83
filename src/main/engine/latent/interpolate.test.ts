import { describe, expect, it } from 'vitest'
import { interpolateCodes, lerp, slerp } from './interpolate'
import { dot, norm } from './vectors'

describe('interpolateCodes', () => {
  const a = [1, 0, 0]
  const b = [0, 2, 0]

  it('returns exact endpoints and the requested number of frames', () => {
    for (const mode of ['linear', 'spherical'] as const) {
      const path = interpolateCodes([0.1, 0.7, -0.3], [0.9, -1.3, 2.2], 7, mode)
      expect(path).toHaveLength(7)
      expect(path[0]).toEqual([0.1, 0.7, -0.3])
      expect(path[6]).toEqual([0.9, -1.3, 2.2])
    }
  })

  it('linear mode is evenly spaced along the chord', () => {
    expect(interpolateCodes(a, b, 5, 'linear')).toEqual([
      [1, 0, 0],
      [0.75, 0.5, 0],
      [0.5, 1, 0],
      [0.25, 1.5, 0],
      [0, 2, 0]
    ])
  })

  it('spherical mode follows the arc: equal angle steps, unit vectors stay unit', () => {
    const u = [1, 0]
    const v = [0, 1]
    const path = interpolateCodes(u, v, 4, 'spherical')
    // 90° split in three 30° steps.
    path.forEach((p, i) => {
      expect(norm(p)).toBeCloseTo(1, 12)
      expect(Math.atan2(p[1], p[0])).toBeCloseTo((i * Math.PI) / 6, 12)
    })
  })

  it('slerp at t = ½ of orthogonal codes of norms 1 and 2 is (a + b)/√2', () => {
    const mid = slerp(a, b, 0.5)
    expect(mid[0]).toBeCloseTo(1 / Math.SQRT2, 12)
    expect(mid[1]).toBeCloseTo(2 / Math.SQRT2, 12)
    // The chord's midpoint is shorter than both ends would suggest: slerp's is not.
    expect(norm(mid)).toBeGreaterThan(norm(lerp(a, b, 0.5)))
    expect(dot(mid, [0, 0, 1])).toBe(0)
  })

  it('falls back to lerp for parallel, antiparallel and zero codes instead of dividing by sin(0)', () => {
    expect(slerp([1, 2], [2, 4], 0.5)).toEqual(lerp([1, 2], [2, 4], 0.5))
    expect(slerp([1, 2], [-1, -2], 0.25)).toEqual(lerp([1, 2], [-1, -2], 0.25))
    expect(slerp([0, 0], [3, 4], 0.5)).toEqual([1.5, 2])
    for (const p of interpolateCodes([1, 1e-9], [1, 0], 5, 'spherical')) expect(p.every(Number.isFinite)).toBe(true)
  })

  it('rejects mismatched lengths and fewer than two frames', () => {
    expect(() => interpolateCodes([1, 2], [1], 4, 'linear')).toThrow(/different lengths/)
    expect(() => interpolateCodes([1], [2], 1, 'linear')).toThrow(/at least 2 frames/)
  })
})
