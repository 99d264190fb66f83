/**
 * The β slider is piecewise linear: half of its travel covers 0 to 2 units, where β changes what
 * the model learns the most, and the rest reaches 20 units for strongly disentangled runs. The
 * unit is the loss's order of magnitude of β (`betaUnit`: 1 for cross-entropy, 10 for the
 * calibrated Gaussian, whose β sits near 16), so each loss gets a slider where its β means
 * something.
 */

/** Slider positions are integers 0..sliderSteps. */
export const sliderSteps = 1000
const kneeFraction = 0.5

/** Keys the β slider answers, as a person expects of a slider. */
export type BetaKey = 'ArrowUp' | 'ArrowRight' | 'ArrowDown' | 'ArrowLeft' | 'PageUp' | 'PageDown' | 'Home' | 'End'

export class BetaScale {
  /** Where the fine half of the travel ends. */
  readonly knee: number
  readonly max: number
  /** One arrow press below the knee, and above it; Shift and the page keys move ten times as far. */
  readonly fineStep: number
  readonly coarseStep: number

  constructor(readonly unit: number) {
    this.knee = 2 * unit
    this.max = 20 * unit
    this.fineStep = 0.05 * unit
    this.coarseStep = 0.5 * unit
  }

  fromSlider(position: number): number {
    const t = Math.min(1, Math.max(0, position / sliderSteps))
    const { knee, max } = this
    const beta = t <= kneeFraction ? (t / kneeFraction) * knee : knee + ((t - kneeFraction) / (1 - kneeFraction)) * (max - knee)
    return this.round(beta)
  }

  toSlider(beta: number): number {
    const { knee, max } = this
    const b = Math.min(max, Math.max(0, beta))
    const t = b <= knee ? (b / knee) * kneeFraction : kneeFraction + ((b - knee) / (max - knee)) * (1 - kneeFraction)
    return Math.round(t * sliderSteps)
  }

  /** Three significant decimals of a unit below the knee, two above: what a slider position can express. */
  round(beta: number): number {
    const decimals = Math.max(0, (beta < this.knee ? 3 : 2) - Math.round(Math.log10(this.unit)))
    const scale = 10 ** decimals
    return Math.round(beta * scale) / scale
  }

  /**
   * β after a key press, snapped to the step's grid so presses land on round values (1.25, not
   * 1.2503); null for keys the slider leaves alone. A step down from the knee uses the fine step.
   */
  afterKey(beta: number, key: string, coarse: boolean): number | null {
    if (key === 'Home') return 0
    if (key === 'End') return this.max
    const up = key === 'ArrowUp' || key === 'ArrowRight' || key === 'PageUp'
    const down = key === 'ArrowDown' || key === 'ArrowLeft' || key === 'PageDown'
    if (!up && !down) return null
    const big = coarse || key === 'PageUp' || key === 'PageDown'
    const onFinePart = up ? beta < this.knee : beta <= this.knee
    const step = (onFinePart ? this.fineStep : this.coarseStep) * (big ? 10 : 1)
    const cells = beta / step
    let next = up ? (Math.floor(cells + 1e-9) + 1) * step : (Math.ceil(cells - 1e-9) - 1) * step
    // The fine part ends at the knee: the first step past it stops there.
    if (up && onFinePart && next > this.knee) next = this.knee
    if (!up && !onFinePart && next < this.knee) next = this.knee
    return this.round(Math.min(this.max, Math.max(0, next)))
  }
}
