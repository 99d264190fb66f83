/**
 * What a run does when the disk refuses a save (full, read-only, gone): it tries again a few
 * times, waiting longer each time (a disk that was full for a moment, a temp file being deleted),
 * then pauses with the reason instead of failing, so what is already saved stays intact and the
 * user can make room and resume, which retries the save, without losing the steps since the last
 * checkpoint. A run that is stopped meanwhile (the CLI ends on a pause) tries a last time and
 * gives up, saying so; every failed attempt leaves nothing half-made (writes are atomic).
 */
import type { TrainNotice, TrainState } from '../../../shared/events'
import type { RunControl } from './run-control'
import { messageOf } from '../../../shared/errors'

/** Waits before the second, third and fourth attempts of a save. */
export const saveRetryDelaysMs = [1000, 2000, 4000]

export type SaveOutcome = { saved: true } | { saved: false; lastError: string }

export interface SaveEvents {
  state(s: TrainState): void
  notice(n: TrainNotice): void
}

/**
 * Runs `save` until it succeeds, pausing the run when it keeps failing; true once saved, false
 * when the run was stopped while it could not save (`lastError` says why).
 */
export async function saveOrWait(
  save: () => Promise<void>,
  control: RunControl,
  events: SaveEvents,
  step: number,
  delaysMs: readonly number[] = saveRetryDelaysMs
): Promise<SaveOutcome> {
  for (;;) {
    const error = await saveWithRetries(save, events, step, delaysMs)
    if (error === null) return { saved: true }
    if (control.stopRequested) return { saved: false, lastError: error }
    const reason = `could not save to the project folder (${error}); free some space or fix its permissions, then resume`
    control.pause()
    events.state({ state: 'paused', reason })
    await control.pausedUntil
    // Stopped while paused: the run's last save (with its own retries) comes next.
    if (control.stopRequested) return { saved: false, lastError: error }
    events.state({ state: 'running' })
  }
}

/** Null once `save` succeeded; else the last failure's message, after every retry. */
async function saveWithRetries(
  save: () => Promise<void>,
  events: SaveEvents,
  step: number,
  delaysMs: readonly number[]
): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      await save()
      return null
    } catch (err) {
      const delay = delaysMs[attempt]
      if (delay === undefined) return messageOf(err)
      events.notice({ step, message: `could not save (${messageOf(err)}); trying again in ${delay / 1000} s` })
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}
