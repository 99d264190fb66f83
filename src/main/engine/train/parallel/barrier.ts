/**
 * A reusable barrier over the shared control block (generation counting), for worker threads
 * only: it blocks with `Atomics.wait`, which the engine thread must never do.
 *
 * It gives up when the run is aborted (a worker died or failed): the coordinator sets `abort`
 * and notifies, and a waiter also re-checks every `pollMs` in case the notify came just before
 * it started waiting.
 */
import { Ctl } from './shared-state'

const pollMs = 50

/**
 * True when every party arrived; false when the step was aborted instead. While it waits, the
 * worker's flag says so: a watchdog then knows it is not the one holding the step up.
 */
export function arriveAndWait(control: Int32Array, rank: number): boolean {
  const generation = Atomics.load(control, Ctl.barrierGeneration)
  const parties = Atomics.load(control, Ctl.parties)
  if (Atomics.add(control, Ctl.barrierCount, 1) === parties - 1) {
    Atomics.store(control, Ctl.barrierCount, 0)
    Atomics.add(control, Ctl.barrierGeneration, 1)
    Atomics.notify(control, Ctl.barrierGeneration)
    return Atomics.load(control, Ctl.abort) === 0
  }
  Atomics.store(control, Ctl.waiting + rank, 1)
  try {
    while (Atomics.load(control, Ctl.barrierGeneration) === generation) {
      if (Atomics.load(control, Ctl.abort) !== 0) return false
      Atomics.wait(control, Ctl.barrierGeneration, generation, pollMs)
    }
    return Atomics.load(control, Ctl.abort) === 0
  } finally {
    Atomics.store(control, Ctl.waiting + rank, 0)
  }
}

/** Whether worker `rank` is waiting at a barrier for the others. */
export function waitingAtBarrier(control: Int32Array, rank: number): boolean {
  return Atomics.load(control, Ctl.waiting + rank) === 1
}

/** Makes every waiting worker leave its barrier (and the step) now. */
export function abortBarrier(control: Int32Array): void {
  Atomics.store(control, Ctl.abort, 1)
  Atomics.notify(control, Ctl.barrierGeneration)
}

/** Between steps only (no worker inside one): a clean barrier for `parties` workers. */
export function resetBarrier(control: Int32Array, parties: number): void {
  Atomics.store(control, Ctl.barrierCount, 0)
  Atomics.store(control, Ctl.parties, parties)
  Atomics.store(control, Ctl.abort, 0)
  // A worker terminated while it waited never cleared its flag.
  for (let i = Ctl.waiting; i < control.length; i++) Atomics.store(control, i, 0)
}
