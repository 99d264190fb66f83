import { describe, expect, it } from 'vitest'
import { methods } from '../../../shared/contract'
import { trainConfigSchema } from '../../../shared/config'
import { describeLimits, isValidNumber, limitsOf, numberProblem, within } from './number-limits'

describe('number limits', () => {
  it('reads the engine’s limits from the contract’s schemas', () => {
    const temperature = limitsOf(methods.exportSamples.request.shape.temperature)
    expect(temperature).toEqual({ min: 0, max: 10, whole: false, minExclusive: false })
    expect(limitsOf(trainConfigSchema.shape.seed)).toMatchObject({ min: 0, max: 2 ** 31 - 1, whole: true })
    expect(limitsOf(trainConfigSchema.shape.learningRate)).toMatchObject({ min: 0, max: 10, minExclusive: true })
    expect(limitsOf(methods.attributeApply.request.shape.amounts)).toMatchObject({ min: -20, max: 20 })
  })

  it('says what is wrong in plain words', () => {
    const temperature = limitsOf(methods.exportSamples.request.shape.temperature)
    expect(numberProblem('Temperature', 48, temperature)).toBe('Temperature goes from 0 to 10')
    expect(numberProblem('Temperature', 3, temperature)).toBeNull()
    expect(numberProblem('Temperature', null, temperature)).toBe('Temperature goes from 0 to 10')
    const seed = limitsOf(trainConfigSchema.shape.seed)
    expect(numberProblem('Seed', 1.5, seed)).toBe('Seed is a whole number from 0 to 2,147,483,647')
    expect(numberProblem('Learning rate', 0, limitsOf(trainConfigSchema.shape.learningRate))).toBe(
      'Learning rate is above 0 and at most 10'
    )
  })

  it('narrows a range for the page without widening the engine’s', () => {
    const columns = within(limitsOf(methods.modelSample.request.shape.count), { max: 16 })
    expect(describeLimits(columns)).toBe('is a whole number from 1 to 16')
    expect(isValidNumber(17, columns)).toBe(false)
    expect(within(columns, { max: 1000 }).max).toBe(16)
  })
})
