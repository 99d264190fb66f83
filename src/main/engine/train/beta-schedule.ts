/**
 * KL warm-up: β ramps from 0 to the target so the decoder learns to use the code before the KL
 * term pushes it to the prior (avoids early posterior collapse). Cyclical restarts the ramp every
 * cycle (Fu et al. 2019): the first half of each cycle ramps, the second half holds β.
 */
import type { Warmup } from '../../../shared/config'

export function effectiveBeta(targetBeta: number, warmup: Warmup, step: number): number {
  if (warmup.kind === 'none') return targetBeta
  if (warmup.kind === 'linear') return targetBeta * Math.min(1, step / warmup.steps)
  const ramp = Math.max(1, Math.floor(warmup.steps / 2))
  const position = step % warmup.steps
  return targetBeta * Math.min(1, position / ramp)
}
