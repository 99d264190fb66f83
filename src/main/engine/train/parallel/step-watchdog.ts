/**
 * How long a training request may go unanswered before the worker that is silent is taken for
 * stuck (a deadlock, a wasm call that never returns): far longer than a normal step, so a busy
 * machine or a slow epoch never trips it, yet finite, so a hung worker cannot hold the run forever.
 * The pool's watchdog then stops that worker and the run pauses with the reason, as for a lost one.
 */
import { seconds, type Deadline } from '../../workers/pool-job'

export interface WatchdogLimits {
  /** A step may take this many times the median of the run's recent steps… */
  factor: number
  /** …and never less than this, in ms. */
  minMs: number
}

export const defaultWatchdog: WatchdogLimits = { factor: 20, minMs: 60_000 }

/** Steps the median is taken over. */
const window = 25

export class StepWatchdog {
  private readonly recent: number[] = []
  private readonly limits: WatchdogLimits

  constructor(limits: Partial<WatchdogLimits> = {}) {
    this.limits = { ...defaultWatchdog, ...limits }
  }

  /** A step that finished, and its wall time. */
  record(ms: number): void {
    this.recent.push(ms)
    if (this.recent.length > window) this.recent.shift()
  }

  /**
   * The deadline of a request worth `steps` of one worker's steps. Before any step has finished
   * (the first ones also set up every kernel) the limit is `factor × minMs`.
   */
  deadline(steps = 1): Deadline {
    const { factor, minMs } = this.limits
    if (this.recent.length === 0) return { ms: factor * minMs }
    const sorted = [...this.recent].sort((a, b) => a - b)
    const median = sorted[Math.floor(sorted.length / 2)]
    return { ms: Math.max(minMs, factor * median * steps), note: `steps take ${seconds(median)}` }
  }
}
