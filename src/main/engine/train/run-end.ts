/**
 * What a run says when it ends without training to its length: that it was already as long as
 * asked (and how to train on), or which steps a stop could not save (and what the project keeps).
 */
import type { TrainConfig } from '../../../shared/config'
import type { TrainState } from '../../../shared/events'
import { resolvedLength, type RunShape } from '../../../shared/run-length'
import type { SaveOutcome } from './disk-full-policy'

/** Why a run that is already as long as asked does not start, and how to train on. */
export function alreadyTrained(length: TrainConfig['length'], shape: RunShape): string {
  const { unit, amount } = resolvedLength(length, shape)
  const what = length.amount === null ? `the recommended ${amount} steps` : `${amount} ${unit}`
  return `already trained ${what} in all; make the run longer to train further`
}

/** A stopped run's state at `step`: what its last save could not keep, when it could not (`kept`: the last checkpoint's step, 0 for none). */
export function stoppedState(saved: SaveOutcome, kept: number, step: number): TrainState {
  if (saved.saved) return { state: 'stopped' }
  const lost = kept < step ? `; steps ${kept + 1}–${step} were not saved` : ''
  const keeps = kept > 0 ? `the project keeps its checkpoint at step ${kept}` : 'the project has no checkpoint of this run'
  return { state: 'stopped', reason: `could not save the last steps (${saved.lastError}): ${keeps}${lost}` }
}
