import { describe, expect, it } from 'vitest'
import type { TrainNotice, TrainState } from '../../../shared/events'
import { saveOrWait } from './disk-full-policy'
import { RunControl } from './run-control'

const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })

function recorder() {
  const states: TrainState[] = []
  const notices: TrainNotice[] = []
  return { states, notices, events: { state: (s: TrainState) => states.push(s), notice: (n: TrainNotice) => notices.push(n) } }
}

/** A save that fails `failures` times, then works. */
function flakySave(failures: number) {
  let calls = 0
  return {
    calls: () => calls,
    save: async () => {
      if (calls++ < failures) throw enospc()
    }
  }
}

describe('saveOrWait', () => {
  it('retries a failed save with growing waits before pausing, saying so each time', async () => {
    const { save, calls } = flakySave(2)
    const { states, notices, events } = recorder()
    expect(await saveOrWait(save, new RunControl(), events, 40, [1, 2, 4])).toEqual({ saved: true })
    expect(calls()).toBe(3)
    expect(states).toEqual([])
    expect(notices.map((n) => [n.step, n.message])).toEqual([
      [40, 'could not save (ENOSPC: no space left on device, write); trying again in 0.001 s'],
      [40, 'could not save (ENOSPC: no space left on device, write); trying again in 0.002 s']
    ])
  })

  it('pauses with the reason once the retries are spent, and saves again on resume', async () => {
    const { save, calls } = flakySave(4)
    const control = new RunControl()
    const { states, events } = recorder()
    const outcome = saveOrWait(save, control, events, 7, [1, 1, 1])
    while (!control.pausedUntil) await new Promise((resolve) => setTimeout(resolve, 1))
    expect(states).toEqual([
      {
        state: 'paused',
        reason:
          'could not save to the project folder (ENOSPC: no space left on device, write); free some space or fix its permissions, then resume'
      }
    ])
    control.resume()
    expect(await outcome).toEqual({ saved: true })
    expect(calls()).toBe(5)
    expect(states.at(-1)).toEqual({ state: 'running' })
  })

  it('gives up when the run is stopped while the disk refuses, saying why, and never pauses a stopping run', async () => {
    const control = new RunControl()
    const paused = saveOrWait(flakySave(100).save, control, recorder().events, 3, [1])
    while (!control.pausedUntil) await new Promise((resolve) => setTimeout(resolve, 1))
    control.stop()
    expect(await paused).toEqual({ saved: false, lastError: 'ENOSPC: no space left on device, write' })

    // The stopped run's last save: retried, then given up, no pause.
    const { states, events } = recorder()
    expect(await saveOrWait(flakySave(100).save, control, events, 3, [1, 1])).toEqual({
      saved: false,
      lastError: 'ENOSPC: no space left on device, write'
    })
    expect(states).toEqual([])
  })
})
