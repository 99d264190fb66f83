import { describe, expect, it } from 'vitest'
import { pingPong } from './ping-pong'

describe('pingPong', () => {
  it('goes forward then back without repeating the end frames', () => {
    expect(pingPong([1, 2, 3, 4])).toEqual([1, 2, 3, 4, 3, 2])
    expect(pingPong([1, 2])).toEqual([1, 2])
    expect(pingPong([1])).toEqual([1])
  })
})
