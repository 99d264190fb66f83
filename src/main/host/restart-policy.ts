/**
 * When to start a failed engine process again. A crash mid-training deserves a quick restart; an
 * engine that cannot start at all (a broken install, a backend that will not load) would otherwise
 * become a fork loop, so the wait grows with each failure and, after a few failures close
 * together, the host gives up until the user asks for a restart.
 */
export interface RestartPolicyOptions {
  /** Failures within `windowMs` at which the host stops restarting. */
  maxFailures?: number
  windowMs?: number
  /** Wait before the first restart; each further failure in the window multiplies it by 4. */
  firstDelayMs?: number
  now?: () => number
}

export class RestartPolicy {
  private failures: number[] = []
  private readonly maxFailures: number
  private readonly windowMs: number
  private readonly firstDelayMs: number
  private readonly now: () => number

  constructor(options: RestartPolicyOptions = {}) {
    this.maxFailures = options.maxFailures ?? 3
    this.windowMs = options.windowMs ?? 60_000
    this.firstDelayMs = options.firstDelayMs ?? 500
    this.now = options.now ?? Date.now
  }

  /** Records a failure; answers how long to wait before the next start, or null to give up. */
  failed(): number | null {
    const now = this.now()
    this.failures = [...this.failures.filter((t) => now - t < this.windowMs), now]
    if (this.failures.length >= this.maxFailures) return null
    return this.firstDelayMs * 4 ** (this.failures.length - 1)
  }

  /** The user asked for a restart: earlier failures no longer count against it. */
  reset(): void {
    this.failures = []
  }
}
