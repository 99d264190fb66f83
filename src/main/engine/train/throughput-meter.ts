/**
 * Images per second and time left, for the progress line. Speed is counted over windows of at
 * least a second, because single steps are too noisy to show; the ETA follows a moving average
 * of step time, so the slow first steps (kernel warm-up) fade out of it.
 */
export class ThroughputMeter {
  private windowStart = performance.now()
  private windowImages = 0
  private rate = 0
  private stepMsEma = 0

  /** Starts a fresh window, so time spent paused does not count as slowness. */
  restartWindow(): void {
    this.windowStart = performance.now()
    this.windowImages = 0
  }

  /** Counts a step of `images` images that began at `startedAt` (a `performance.now()` reading). */
  recordStep(images: number, startedAt: number): void {
    const elapsed = performance.now() - startedAt
    this.stepMsEma = this.stepMsEma === 0 ? elapsed : 0.9 * this.stepMsEma + 0.1 * elapsed
    this.windowImages += images
    const windowMs = performance.now() - this.windowStart
    if (windowMs > 1000 || this.rate === 0) {
      this.rate = (this.windowImages / windowMs) * 1000
      this.windowStart = performance.now()
      this.windowImages = 0
    }
  }

  get imgPerSec(): number {
    return this.rate
  }

  etaSec(stepsLeft: number): number {
    return (stepsLeft * this.stepMsEma) / 1000
  }
}
