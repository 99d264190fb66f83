import { describe, expect, it } from 'vitest'
import { createRunWatch, formatDuration } from './run-watch'

function clock() {
  let t = 0
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('createRunWatch', () => {
  it('announces a finished run that lasted over a minute, pauses included', () => {
    const time = clock()
    const watch = createRunWatch({ now: time.now })
    expect(watch({ state: 'running' })).toBeNull()
    time.advance(40_000)
    expect(watch({ state: 'paused' })).toBeNull()
    time.advance(10_000)
    expect(watch({ state: 'running' })).toBeNull()
    time.advance(80_000)
    expect(watch({ state: 'finished' })).toEqual({ title: 'Training finished', body: 'The run took 2 min 10 s.' })
  })

  it('stays quiet for short runs and for runs the user stopped', () => {
    const time = clock()
    const watch = createRunWatch({ now: time.now })
    watch({ state: 'running' })
    time.advance(59_000)
    expect(watch({ state: 'finished' })).toBeNull()
    watch({ state: 'running' })
    time.advance(600_000)
    expect(watch({ state: 'stopped' })).toBeNull()
    expect(watch({ state: 'finished' })).toBeNull()
  })

  it('times each run from its own start', () => {
    const time = clock()
    const watch = createRunWatch({ now: time.now })
    watch({ state: 'running' })
    time.advance(120_000)
    expect(watch({ state: 'finished' })).not.toBeNull()
    time.advance(500_000)
    watch({ state: 'running' })
    time.advance(5_000)
    expect(watch({ state: 'finished' })).toBeNull()
  })

  it('passes on why a long run failed', () => {
    const time = clock()
    const watch = createRunWatch({ now: time.now })
    watch({ state: 'running' })
    time.advance(90_000)
    expect(watch({ state: 'failed', reason: 'The engine ran out of memory.' })).toEqual({
      title: 'Training failed',
      body: 'The engine ran out of memory.'
    })
  })

  it('formats durations for people', () => {
    expect(formatDuration(61_000)).toBe('1 min 1 s')
    expect(formatDuration(300_000)).toBe('5 min')
    expect(formatDuration(119_600)).toBe('2 min')
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min')
  })
})
