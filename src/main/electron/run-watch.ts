/**
 * Decides when finishing training deserves an OS notification: only for runs long enough that
 * the user has likely turned to something else, and not when the user stopped the run themself.
 */
import type { TrainState } from '../../shared/events'

export interface RunNotice {
  title: string
  body: string
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`
}

/** Feed it every `train:state`; it answers with the notice to show, if any. */
export function createRunWatch(options: { minDurationMs?: number; now?: () => number } = {}): (state: TrainState) => RunNotice | null {
  const minDurationMs = options.minDurationMs ?? 60_000
  const now = options.now ?? Date.now
  let startedAt: number | null = null
  return (state) => {
    if (state.state === 'running') {
      startedAt ??= now()
      return null
    }
    if (state.state === 'paused') return null
    const lasted = startedAt === null ? 0 : now() - startedAt
    startedAt = null
    if (lasted <= minDurationMs) return null
    if (state.state === 'finished') return { title: 'Training finished', body: `The run took ${formatDuration(lasted)}.` }
    if (state.state === 'failed') {
      return { title: 'Training failed', body: state.reason ?? `The run stopped with an error after ${formatDuration(lasted)}.` }
    }
    return null
  }
}
