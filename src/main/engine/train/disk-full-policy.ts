/**
 * What a run does when the disk refuses a save (full, read-only, gone): it pauses with the reason
 * instead of failing, so what is already saved stays intact and the user can make room and resume,
 * which retries the save, without losing the steps since the last checkpoint.
 */
import type { TrainState } from '../../../shared/events'
import type { RunControl } from './run-control'
import { messageOf } from '../../../shared/errors'

/** Runs `save` until it succeeds or the run is stopped, pausing the run after each failure. */
export async function saveOrWait(save: () => Promise<void>, control: RunControl, events: { state(s: TrainState): void }): Promise<void> {
  for (;;) {
    try {
      await save()
      return
    } catch (err) {
      if (control.stopRequested) return
      const reason = `could not save to the project folder (${messageOf(err)}); free some space or fix its permissions, then resume`
      control.pause()
      events.state({ state: 'paused', reason })
      await control.pausedUntil
      if (control.stopRequested) return
      events.state({ state: 'running' })
    }
  }
}
