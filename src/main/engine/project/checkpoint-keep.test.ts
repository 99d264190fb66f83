import { describe, expect, it } from 'vitest'
import { checkpointsToKeep, defaultKeepRule } from './checkpoint-keep'

const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b)

/** What a run keeps when it checkpoints at `steps` in turn, pruning after each write as the writer does. */
function keptAlong(steps: number[], rule = defaultKeepRule): number[] {
  let onDisk: number[] = []
  for (const step of steps) onDisk = sorted(checkpointsToKeep([...onDisk, step], rule))
  return onDisk
}

describe('the checkpoints a project keeps', () => {
  it('keeps the newest three and the earliest of each doubling of the step', () => {
    const steps = [25, 50, 100, 200, 400, 600, 800, 1000, 1200, 1400, 1600]
    expect(sorted(checkpointsToKeep(steps))).toEqual([25, 50, 100, 200, 400, 600, 1200, 1400, 1600])
  })

  it('keeps the start, middle and end of a long run, bounded in count, the same whether pruned along the way or at once', () => {
    const schedule = [25, 50, 100, ...Array.from({ length: 500 }, (_, i) => 200 * (i + 1))] // to step 100,000
    const kept = keptAlong(schedule)
    expect(kept).toEqual(sorted(checkpointsToKeep(schedule)))
    expect(kept.length).toBeLessThanOrEqual(defaultKeepRule.maxKept)
    expect(kept.slice(0, 4)).toEqual([25, 50, 100, 200])
    expect(kept.slice(-3)).toEqual([99_600, 99_800, 100_000])
    // Each kept step is at least about twice the one before it, up to the newest few.
    const spread = kept.slice(0, -3)
    for (let i = 1; i < spread.length; i++) expect(spread[i]).toBeGreaterThanOrEqual(spread[i - 1] * 1.5)
  })

  it('never needs back a checkpoint it pruned: what it keeps after a write is among what it kept before, plus the new one', () => {
    let onDisk: number[] = []
    for (let step = 1; step <= 5000; step += 1 + (step % 7)) {
      const next = sorted(checkpointsToKeep([...onDisk, step], { ...defaultKeepRule, maxKept: 8 }))
      for (const kept of next) expect([...onDisk, step]).toContain(kept)
      expect(next.length).toBeLessThanOrEqual(8)
      onDisk = next
    }
  })

  it('widens the doublings once they are more than the cap allows', () => {
    const steps = Array.from({ length: 20 }, (_, i) => 2 ** i) // 1 … 524,288: 20 doublings
    const kept = sorted(checkpointsToKeep(steps, { newest: 2, spread: true, maxKept: 8 }))
    expect(kept.length).toBeLessThanOrEqual(8)
    expect(kept).toContain(1)
    expect(kept.slice(-2)).toEqual([2 ** 18, 2 ** 19])
  })

  it('keeps only the newest without the spread, and at least one', () => {
    expect(sorted(checkpointsToKeep([5, 1, 9, 3], { newest: 2, spread: false, maxKept: 16 }))).toEqual([5, 9])
    expect(sorted(checkpointsToKeep([5, 1, 9, 3], { newest: 0, spread: false, maxKept: 16 }))).toEqual([9])
  })
})
