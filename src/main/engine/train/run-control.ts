/**
 * Pause, resume and stop, asked for from outside (UI, CLI, a full disk) and honoured by the loop
 * between steps. A pause is a promise the loop awaits, so a paused run holds no timer and wakes
 * the moment it is released.
 */
export class RunControl {
  private gate: { promise: Promise<void>; release: () => void } | null = null
  private stopped = false

  /** Settles when the current pause ends; null while not paused. */
  get pausedUntil(): Promise<void> | null {
    return this.gate?.promise ?? null
  }

  get stopRequested(): boolean {
    return this.stopped
  }

  pause(): void {
    if (this.gate) return
    let release!: () => void
    const promise = new Promise<void>((resolve) => (release = resolve))
    this.gate = { promise, release }
  }

  resume(): void {
    const gate = this.gate
    this.gate = null
    gate?.release()
  }

  /** Also ends a pause, so a paused run can wind down. */
  stop(): void {
    this.stopped = true
    this.resume()
  }
}
