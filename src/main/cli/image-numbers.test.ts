import { describe, expect, it } from 'vitest'
import { imageNumberFlag, imageNumberListFlag, toNumbers, toRow, toRows } from './image-numbers'
import { UsageError } from './usage-error'

describe('image numbers on the command line', () => {
  it('counts from 1: image 1 is dataset row 0, image N is row N − 1', () => {
    expect(toRow('from', imageNumberFlag('from', '1')!, 32)).toBe(0)
    expect(toRow('to', imageNumberFlag('to', '32')!, 32)).toBe(31)
    expect(toRows('a', imageNumberListFlag('a', '3, 7,12')!, 20)).toEqual([2, 6, 11])
    expect(toNumbers([0, 6])).toEqual([1, 7])
  })

  it('names the valid range 1–N for a number past the end, as a command-line mistake', () => {
    expect(() => toRow('to', 33, 32)).toThrow("--to 33: there is no image 33; this project's images are numbered from 1 to 32")
    expect(() => toRow('to', 33, 32)).toThrow(UsageError)
    expect(() => toRows('with', [1, 40], 32)).toThrow(/--with 40: .*from 1 to 32/)
    expect(() => toRow('image', 1, 0)).toThrow(/no images yet/)
  })

  it('refuses 0, negatives and words, saying numbers start at 1', () => {
    expect(() => imageNumberFlag('from', '0')).toThrow('--from expects an image number (from 1), not "0"')
    expect(() => imageNumberFlag('from', 'x')).toThrow(/from 1/)
    expect(() => imageNumberListFlag('a', '1,0')).toThrow(/image numbers from 1, separated by commas/)
    expect(() => imageNumberListFlag('a', '1,x')).toThrow(/e\.g\. 3,7,12/)
  })
})
