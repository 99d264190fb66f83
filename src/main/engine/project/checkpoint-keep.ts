/**
 * Which checkpoints a project keeps: the newest few (to resume from, and to fall back to when the
 * newest is damaged) and, for the timeline, the earliest one of each doubling of the step (1,
 * 2–3, 4–7, …, 256–511 …), so a run of any length keeps its start, its middle and its end, and
 * the count grows with the logarithm of the step. Past `maxKept` the doublings widen (×4, ×16 …):
 * the earliest of a wider span is already the earliest of a narrower one, so the set only ever
 * shrinks to a subset of what was kept, and pruning never needs a checkpoint it deleted.
 */
export interface KeepRule {
  /** The newest checkpoints kept whatever else is (at least 1). */
  newest: number
  /** Also keep the earliest of each doubling of the step, for the timeline. */
  spread: boolean
  /** At most this many in all (spread ones give way first). */
  maxKept: number
}

export const defaultKeepRule: KeepRule = { newest: 3, spread: true, maxKept: 16 }

/** floor(log2(step)) / width: which span a step falls in (steps below 1 share span −1). */
function span(step: number, width: number): number {
  return step < 1 ? -1 : Math.floor((31 - Math.clz32(step)) / width)
}

function earliestPerSpan(steps: readonly number[], width: number): number[] {
  const earliest = new Map<number, number>()
  for (const step of steps) {
    const key = span(step, width)
    const known = earliest.get(key)
    if (known === undefined || step < known) earliest.set(key, step)
  }
  return [...earliest.values()]
}

/** The steps to keep among `steps` (checkpoints on disk, the one just written included). */
export function checkpointsToKeep(steps: readonly number[], rule: KeepRule = defaultKeepRule): Set<number> {
  const newestFirst = [...new Set(steps)].sort((a, b) => b - a)
  const keep = new Set(newestFirst.slice(0, Math.max(1, rule.newest)))
  if (!rule.spread) return keep
  for (let width = 1; ; width *= 2) {
    const spread = earliestPerSpan(newestFirst, width).filter((step) => !keep.has(step))
    if (keep.size + spread.length <= rule.maxKept || width >= 32) {
      // The widest spans still too many (a cap below the newest count): the oldest stay, for the timeline's start.
      for (const step of spread.sort((a, b) => a - b).slice(0, Math.max(0, rule.maxKept - keep.size))) keep.add(step)
      return keep
    }
  }
}
