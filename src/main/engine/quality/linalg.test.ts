import { describe, expect, it } from 'vitest'
import { cholesky, gaussianStats, matMul, solveLower, sqrtPsd, symmetricEigen } from './linalg'
import { randomOrthogonal, withEigenvalues } from '../../../../test/support/quality-testing-helpers'

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

describe('symmetric eigen-decomposition (Jacobi)', () => {
  it('solves a 2×2 by hand: [[2, 1], [1, 2]] has eigenvalues 3 and 1, vectors (1, ±1)/√2', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2)
    expect(values[0]).toBeCloseTo(3, 14)
    expect(values[1]).toBeCloseTo(1, 14)
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 14)
    expect(vectors[0] * vectors[2]).toBeCloseTo(0.5, 14)
    expect(vectors[1] * vectors[3]).toBeCloseTo(-0.5, 14)
  })

  it('solves a 3×3 with a known spectrum: [[4, 1, 0], [1, 4, 1], [0, 1, 4]] → 4 + √2, 4, 4 − √2', () => {
    const { values } = symmetricEigen(Float64Array.from([4, 1, 0, 1, 4, 1, 0, 1, 4]), 3)
    expect(Array.from(values)).toEqual([4 + Math.SQRT2, 4, 4 - Math.SQRT2].map((v) => expect.closeTo(v, 13)))
  })

  it('leaves a diagonal matrix alone and sorts its values', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([1, 0, 0, 0, -2, 0, 0, 0, 5]), 3)
    expect(Array.from(values)).toEqual([5, 1, -2])
    expect(Math.abs(vectors[2 * 3 + 0])).toBe(1) // column 0 (value 5) is e₃
  })

  it('recovers the spectrum of Q·Λ·Qᵀ at 128×128, with orthonormal vectors that satisfy A·v = λ·v', () => {
    const n = 128
    const spectrum = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 10 / (i + 1))) // PSD with repeated zeros
    const a = withEigenvalues(randomOrthogonal(n, 3), spectrum)
    const { values, vectors } = symmetricEigen(a, n)
    expect(
      maxAbsDiff(
        values,
        [...spectrum].sort((x, y) => y - x)
      )
    ).toBeLessThan(1e-12)
    const vtv = matMul(transpose(vectors, n), vectors, n)
    expect(maxAbsDiff(vtv, identity(n))).toBeLessThan(1e-12)
    const av = matMul(a, vectors, n)
    let residual = 0
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) residual = Math.max(residual, Math.abs(av[i * n + k] - values[k] * vectors[i * n + k]))
    expect(residual).toBeLessThan(1e-12)
  })
})

describe('square root, Cholesky and covariance', () => {
  it('√A·√A = A for a PSD matrix, and negative rounding is clamped', () => {
    const n = 20
    const a = withEigenvalues(
      randomOrthogonal(n, 5),
      Array.from({ length: n }, (_, i) => (i < 15 ? i + 0.5 : 0))
    )
    const root = sqrtPsd(a, n)
    expect(maxAbsDiff(matMul(root, root, n), a)).toBeLessThan(1e-12)
    expect(sqrtPsd(Float64Array.from([4, 0, 0, -1e-18]), 2)).toEqual(Float64Array.from([2, 0, 0, 0]))
  })

  it('factors [[4, 2], [2, 3]] as L = [[2, 0], [1, √2]], solves L·y = b, and refuses an indefinite matrix', () => {
    const l = cholesky(Float64Array.from([4, 2, 2, 3]), 2)!
    expect(Array.from(l)).toEqual([2, 0, 1, expect.closeTo(Math.SQRT2, 15)])
    expect(Array.from(solveLower(l, 2, [2, 3], new Float64Array(2)))).toEqual([1, expect.closeTo(2 / Math.SQRT2, 15)])
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull()
  })

  it('computes the unbiased covariance as numpy.cov does', () => {
    const s = gaussianStats([
      [1, 2, 0],
      [0, 1, 1],
      [2, 0, 1],
      [1, 1, 3],
      [0, 2, 2]
    ])
    expect(Array.from(s.mean)).toEqual([0.8, 1.2, 1.4].map((v) => expect.closeTo(v, 14)))
    expect(Array.from(s.cov)).toEqual([0.7, -0.45, -0.15, -0.45, 0.7, -0.1, -0.15, -0.1, 1.3].map((v) => expect.closeTo(v, 14)))
  })
})

function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]
  return t
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n)
  for (let i = 0; i < n; i++) m[i * n + i] = 1
  return m
}
