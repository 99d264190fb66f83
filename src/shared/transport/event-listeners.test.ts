import { describe, expect, it } from 'vitest'
import { createEventListeners } from './event-listeners'

describe('event listeners', () => {
  it('delivers to the event’s listeners only, until unsubscribed, past a failing one', () => {
    const failures: string[] = []
    const listeners = createEventListeners((event, err) => failures.push(`${event}: ${(err as Error).message}`))
    const seen: unknown[] = []
    listeners.add('a', () => {
      throw new Error('boom')
    })
    const off = listeners.add('a', (p) => seen.push(p))
    listeners.add('b', (p) => seen.push(`b:${p}`))
    listeners.emit('a', 1)
    off()
    listeners.emit('a', 2)
    listeners.emit('c', 3)
    expect(seen).toEqual([1])
    expect(failures).toEqual(['a: boom', 'a: boom'])
  })
})
