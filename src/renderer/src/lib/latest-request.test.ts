import { describe, expect, it } from 'vitest'
import { LatestRequest } from './latest-request'

describe('LatestRequest', () => {
  it('reports only the most recently begun request as current', () => {
    const requests = new LatestRequest()
    const first = requests.begin()
    expect(first()).toBe(true)
    const second = requests.begin()
    expect(first()).toBe(false)
    expect(second()).toBe(true)
    const otherCounter = new LatestRequest()
    otherCounter.begin()
    expect(second()).toBe(true)
  })
})
