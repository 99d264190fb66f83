/**
 * Steps and images per second as a run goes, both measured, never one derived from the other by
 * the batch size: a step may hold fewer images than a batch (the end of an epoch, a set smaller
 * than a batch). Counted over windows of at least a second, which one noisy step cannot swing;
 * the time between steps (epoch reports, checkpoints) counts, as it is part of how fast the run
 * goes. The seconds per step behind the time left follow a moving average of the windows, so
 * the slow first steps (kernel warm-up) fade out of it.
 */
export class ThroughputMeter {
  private windowStart = performance.now()
  private windowSteps = 0
  private windowImages = 0
  private rates = { steps: 0, images: 0 }
  private secPerStepAverage = 0
  private imagesPerStepAverage = 0

  /** Starts a fresh window, so time spent paused does not count as slowness. */
  restartWindow(): void {
    this.windowStart = performance.now()
    this.windowSteps = 0
    this.windowImages = 0
  }

  /** Counts a step of `images` images, just finished. */
  recordStep(images: number): void {
    this.windowSteps++
    this.windowImages += images
    const seconds = (performance.now() - this.windowStart) / 1000
    if (seconds < 1) return
    this.rates = { steps: this.windowSteps / seconds, images: this.windowImages / seconds }
    const secPerStep = seconds / this.windowSteps
    const imagesPerStep = this.windowImages / this.windowSteps
    const first = this.secPerStepAverage === 0
    this.secPerStepAverage = first ? secPerStep : 0.7 * this.secPerStepAverage + 0.3 * secPerStep
    this.imagesPerStepAverage = first ? imagesPerStep : 0.7 * this.imagesPerStepAverage + 0.3 * imagesPerStep
    this.restartWindow()
  }

  /** Steps per second over the latest window; 0 until a window has passed. */
  get stepsPerSec(): number {
    return this.rates.steps
  }

  /** Images per second over the latest window; 0 until a window has passed. */
  get imgPerSec(): number {
    return this.rates.images
  }

  /** The run's pace so far (seconds a step takes, images a step holds); null until a window has passed. */
  get pace(): { secPerStep: number; imagesPerStep: number } | null {
    return this.secPerStepAverage > 0 ? { secPerStep: this.secPerStepAverage, imagesPerStep: this.imagesPerStepAverage } : null
  }
}
