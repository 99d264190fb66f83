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
