/**
 * A run's length and its expected time in words, the same in the Train view, the CLI and `info`:
 * "600 steps", "about 6 min on this machine (an estimate from this project's training)".
 */
import type { RunLength, RunLengthUnit } from './config'
import type { Pace, RunPosition, RunShape } from './run-length'

const unitWords: Record<RunLengthUnit, [string, string]> = {
  steps: ['step', 'steps'],
  minutes: ['minute', 'minutes'],
  epochs: ['epoch', 'epochs']
}

/** "1 step", "600 steps", "2.5 minutes". */
export function amountOf(unit: RunLengthUnit, amount: number): string {
  const [one, many] = unitWords[unit]
  return `${amount.toLocaleString('en', { maximumFractionDigits: 1 })} ${amount === 1 ? one : many}`
}

/** "600 steps", or "the recommended 600 steps" for a length left to the studio. */
export function describeLength(length: RunLength, recommendedSteps?: number): string {
  if (length.amount !== null) return amountOf(length.unit, length.amount)
  return recommendedSteps === undefined ? 'the recommended length' : `the recommended ${amountOf('steps', recommendedSteps)}`
}

/** A time as people say it ahead: "under a minute", "about 6 min", "about 1 h 20 min" (rounded up). */
export function aboutDuration(seconds: number): string {
  if (seconds < 60) return 'under a minute'
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `about ${minutes} min`
  const rest = Math.ceil(minutes / 10) * 10
  return `about ${Math.floor(rest / 60)} h${rest % 60 ? ` ${rest % 60} min` : ''}`
}

const paceSources: Record<Pace['source'], string> = {
  project: "from this project's training so far",
  measured: 'from a few steps timed just now',
  run: "at this run's pace"
}

/** Where an estimate's pace comes from, for the words beside the time. */
export function paceSource(pace: Pace): string {
  return paceSources[pace.source]
}

/** The model's training so far in every unit: "300 steps, 10.3 epochs, 2.5 minutes". */
export function describeTrained(at: RunPosition, shape: RunShape): string {
  const parts = [amountOf('steps', at.step), amountOf('epochs', Math.floor((at.imagesSeen / shape.trainImages) * 10) / 10)]
  if (at.trainedSec > 0) parts.push(amountOf('minutes', Math.round((at.trainedSec / 60) * 10) / 10))
  return parts.join(', ')
}
