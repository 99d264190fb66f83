import { describe, expect, it } from 'vitest'
import { plainInvalidRequest } from './plain-error'

describe('plainInvalidRequest', () => {
  it('names the field and its limit in a sentence', () => {
    expect(plainInvalidRequest('invalid export:samples request: temperature: Too big: expected number to be <=10')).toBe(
      'Temperature must be at most 10.'
    )
    expect(
      plainInvalidRequest(
        'invalid train:start request: train.learningRate: Too small: expected number to be >0; train.seed: Invalid input: expected int, received number'
      )
    ).toBe('Learning rate must be above 0. Seed must be a whole number.')
    expect(plainInvalidRequest('invalid model:sample request: count: Too big: expected number to be <=256')).toBe(
      'The number of images must be at most 256.'
    )
  })

  it('leaves other messages alone', () => {
    expect(plainInvalidRequest('the engine stopped')).toBeNull()
  })
})
