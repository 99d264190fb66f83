import { describe, expect, it } from 'vitest'
import { arithmetic } from './arithmetic'
import { applyAttribute, attributeVector } from './attribute'
import { latentRecipeSchema, recipeOutOfRange } from './latent-recipe'

describe('latent arithmetic', () => {
  it('is mean(a) − mean(b) + mean(c)', () => {
    const result = arithmetic({
      a: [
        [1, 2],
        [3, 4]
      ],
      b: [[1, 1]],
      c: [
        [0, 10],
        [2, 20],
        [4, 30]
      ]
    })
    // (2, 3) − (1, 1) + (2, 20)
    expect(result).toEqual([3, 22])
  })

  it('with single codes is plain a − b + c', () => {
    expect(arithmetic({ a: [[5, -1, 2]], b: [[1, 1, 1]], c: [[0, 0.5, 4]] })).toEqual([4, -1.5, 5])
  })

  it('refuses an empty group and codes of different lengths', () => {
    expect(() => arithmetic({ a: [[1]], b: [], c: [[1]] })).toThrow(/group b is empty/)
    expect(() => arithmetic({ a: [[1, 2]], b: [[1]], c: [[1, 2]] })).toThrow(/different lengths/)
  })
})

describe('attribute vectors', () => {
  it('is the difference of group means, and applying it moves a code by amount × vector', () => {
    const v = attributeVector(
      [
        [2, 0],
        [4, 2]
      ],
      [[1, 1]]
    )
    expect(v).toEqual([2, 0])
    expect(applyAttribute([1, 1], v, 1.5)).toEqual([4, 1])
    expect(applyAttribute([1, 1], v, -1)).toEqual([-1, 1])
    expect(applyAttribute([1, 1], v, 0)).toEqual([1, 1])
  })

  it('refuses empty groups', () => {
    expect(() => attributeVector([], [[1]])).toThrow(/at least one image/)
  })
})

describe('latent recipe schema', () => {
  const recipe = { name: 'add glasses', a: [3, 7], b: [2], c: [10, 11, 12], createdAt: '2025-01-02T03:04:05.000Z' }

  it('accepts a well-formed recipe and round-trips through JSON', () => {
    expect(latentRecipeSchema.parse(JSON.parse(JSON.stringify(recipe)))).toEqual(recipe)
  })

  it('refuses empty groups, negative or fractional indices, unknown keys and bad dates', () => {
    expect(latentRecipeSchema.safeParse({ ...recipe, b: [] }).success).toBe(false)
    expect(latentRecipeSchema.safeParse({ ...recipe, a: [-1] }).success).toBe(false)
    expect(latentRecipeSchema.safeParse({ ...recipe, c: [1.5] }).success).toBe(false)
    expect(latentRecipeSchema.safeParse({ ...recipe, extra: 1 }).success).toBe(false)
    expect(latentRecipeSchema.safeParse({ ...recipe, createdAt: 'yesterday' }).success).toBe(false)
    expect(latentRecipeSchema.safeParse({ ...recipe, name: '  ' }).success).toBe(false)
  })

  it('lists indices a smaller dataset no longer has', () => {
    expect(recipeOutOfRange(recipe, 11)).toEqual([11, 12])
    expect(recipeOutOfRange(recipe, 100)).toEqual([])
  })
})
