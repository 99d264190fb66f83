import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../shared/errors'
import { checkRows, missingImage } from './image-numbers'

describe('image numbers in messages', () => {
  it('names row 32 of 32 as image 33, with the numbers that exist', () => {
    const err = missingImage(32, 32)
    expect(err).toBeInstanceOf(StudioError)
    expect(err.code).toBe('invalid-request')
    expect(err.message).toBe('image 33 does not exist: the dataset has 32 images (1–32)')
  })

  it('says so plainly for a dataset of one image or none', () => {
    expect(missingImage(1, 1).message).toBe('image 2 does not exist: the dataset has 1 image (1)')
    expect(missingImage(0, 0).message).toBe('image 1 does not exist: the dataset has no images')
  })

  it('accepts every existing row and refuses the first missing one', () => {
    expect(() => checkRows([0, 5, 31], 32)).not.toThrow()
    expect(() => checkRows([3, 40, 50], 32)).toThrow('image 41 does not exist: the dataset has 32 images (1–32)')
    expect(() => checkRows([-1], 32)).toThrow(/^image 0 does not exist/)
  })
})
