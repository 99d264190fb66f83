import { describe, expect, it, vi } from 'vitest'
import { throttleEvents } from './event-throttle'

describe('event throttle', () => {
  it('passes at most one progress event per interval and always the latest', () => {
    vi.useFakeTimers()
    const seen: Array<[string, unknown]> = []
    const emit = throttleEvents((event, payload) => seen.push([event, payload]), 100)
    for (let i = 1; i <= 10; i++) emit('train:progress', { step: i } as never)
    expect(seen).toEqual([['train:progress', { step: 1 }]])
    vi.advanceTimersByTime(100)
    expect(seen.at(-1)).toEqual(['train:progress', { step: 10 }])
    expect(seen).toHaveLength(2)
    vi.useRealTimers()
  })

  it('never lets a state change overtake the progress before it', () => {
    vi.useFakeTimers()
    const seen: string[] = []
    const emit = throttleEvents((event, payload) => seen.push(`${event}:${JSON.stringify(payload)}`), 100)
    emit('train:progress', { step: 1 } as never)
    emit('train:progress', { step: 2 } as never)
    emit('train:state', { state: 'finished' })
    expect(seen).toEqual(['train:progress:{"step":1}', 'train:progress:{"step":2}', 'train:state:{"state":"finished"}'])
    vi.advanceTimersByTime(500)
    expect(seen).toHaveLength(3)
    vi.useRealTimers()
  })
})
