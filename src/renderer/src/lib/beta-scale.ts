/**
 * The β slider is piecewise linear: half of its travel covers 0–2, where β changes what the
 * model learns the most, and the rest reaches up to `betaMax` for strongly disentangled runs.
 */
export const betaMax = 20
/** Slider positions are integers 0..sliderSteps (steps of 0.004 below β = 2, 0.036 above). */
export const sliderSteps = 1000
const kneeFraction = 0.5
const kneeBeta = 2

export function betaFromSlider(position: number): number {
  const t = Math.min(1, Math.max(0, position / sliderSteps))
  const beta =
    t <= kneeFraction ? (t / kneeFraction) * kneeBeta : kneeBeta + ((t - kneeFraction) / (1 - kneeFraction)) * (betaMax - kneeBeta)
  return roundBeta(beta)
}

export function sliderFromBeta(beta: number): number {
  const b = Math.min(betaMax, Math.max(0, beta))
  const t = b <= kneeBeta ? (b / kneeBeta) * kneeFraction : kneeFraction + ((b - kneeBeta) / (betaMax - kneeBeta)) * (1 - kneeFraction)
  return Math.round(t * sliderSteps)
}

/** Three decimals below 2, two above: the precision a slider position can actually express. */
export function roundBeta(beta: number): number {
  const scale = beta < kneeBeta ? 1000 : 100
  return Math.round(beta * scale) / scale
}

/** Keys the β slider answers, as a person expects of a slider. */
export type BetaKey = 'ArrowUp' | 'ArrowRight' | 'ArrowDown' | 'ArrowLeft' | 'PageUp' | 'PageDown' | 'Home' | 'End'

/** One arrow press: 0.05 on the fine part (below 2), 0.5 above; Shift and the page keys move ten times as far. */
const fineStep = 0.05
const kneeStep = 0.5

/**
 * β after a key press, snapped to the step's grid so presses land on round values (1.25, not
 * 1.2503); null for keys the slider leaves alone. A step down from the knee uses the fine step.
 */
export function betaAfterKey(beta: number, key: string, coarse: boolean): number | null {
  if (key === 'Home') return 0
  if (key === 'End') return betaMax
  const up = key === 'ArrowUp' || key === 'ArrowRight' || key === 'PageUp'
  const down = key === 'ArrowDown' || key === 'ArrowLeft' || key === 'PageDown'
  if (!up && !down) return null
  const big = coarse || key === 'PageUp' || key === 'PageDown'
  const onFinePart = up ? beta < kneeBeta : beta <= kneeBeta
  const step = (onFinePart ? fineStep : kneeStep) * (big ? 10 : 1)
  const cells = beta / step
  let next = up ? (Math.floor(cells + 1e-9) + 1) * step : (Math.ceil(cells - 1e-9) - 1) * step
  // The fine part ends at the knee: the first step past it stops there.
  if (up && onFinePart && next > kneeBeta) next = kneeBeta
  if (!up && !onFinePart && next < kneeBeta) next = kneeBeta
  return roundBeta(Math.min(betaMax, Math.max(0, next)))
}
