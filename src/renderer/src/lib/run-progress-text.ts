/**
 * Where a run stands, in the unit it was asked in: "step 120 / 600", "epoch 4.2 / 20",
 * "3 min 10 s / 10 min", for the status pill and the Train view's stats.
 */
import type { TrainProgress } from '../../../shared/events'
import { formatDuration } from './format'

export function runProgressText(p: TrainProgress): string {
  const { unit, amount } = p.length
  if (unit === 'minutes') return `${formatDuration(p.trainedSec)} / ${formatDuration(amount * 60)}`
  if (unit === 'epochs') return `epoch ${epochsSeenText(p)} / ${amount}`
  return `step ${p.step} / ${p.totalSteps}`
}

/** Epochs seen, one decimal ("4.2"): counted by images, so a batch change mid-run keeps it right. */
export function epochsSeenText(p: Pick<TrainProgress, 'imagesSeen' | 'epochImages'>): string {
  return p.epochImages > 0 ? (Math.floor((p.imagesSeen / p.epochImages) * 10) / 10).toFixed(1) : '—'
}
