/**
 * Seconds spent training, across runs: the clock runs while the run's state is 'running' and
 * stands still while it is paused (by the user, a full disk or a lost worker), so a run bound by
 * minutes trains that long, and the time a checkpoint keeps is training time.
 */
import type { TrainState } from '../../../shared/events'

export class RunClock {
  private since: number | null = null

  constructor(
    /** Seconds trained before this run (a checkpoint's). */
    private base = 0
  ) {}

  /** Runs in the 'running' state, stands still in every other. */
  follow(state: TrainState): void {
    if (state.state === 'running') this.since ??= performance.now()
    else if (this.since !== null) {
      this.base += (performance.now() - this.since) / 1000
      this.since = null
    }
  }

  get seconds(): number {
    return this.base + (this.since === null ? 0 : (performance.now() - this.since) / 1000)
  }
}
