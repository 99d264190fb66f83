/**
 * Runs an async job with at most one call in flight; while one runs, newer inputs replace the
 * pending one, so a burst of inputs (pointer moves, slider drags) ends in exactly one job for the
 * latest input and never queues up stale work behind the engine.
 */
export class LatestOnly<In, Out> {
  private running = false
  private pending: { value: In } | null = null

  constructor(
    private readonly job: (value: In) => Promise<Out>,
    private readonly onResult: (result: Out, value: In) => void,
    private readonly onError: (err: unknown) => void
  ) {}

  /** True while a job runs or waits; lets callers (and tests) know when the stream has settled. */
  get busy(): boolean {
    return this.running || this.pending !== null
  }

  push(value: In): void {
    this.pending = { value }
    if (!this.running) void this.drain()
  }

  private async drain(): Promise<void> {
    this.running = true
    try {
      while (this.pending) {
        const { value } = this.pending
        this.pending = null
        try {
          this.onResult(await this.job(value), value)
        } catch (err) {
          this.onError(err)
        }
      }
    } finally {
      this.running = false
    }
  }
}
