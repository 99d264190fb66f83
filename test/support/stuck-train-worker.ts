/**
 * A training worker that hangs: the real one (train-worker.ts), except that the thread of rank
 * `stuck.rank` blocks for good in an `Atomics.wait` when its `stuck.atStep`-th step arrives, as a
 * deadlocked worker would, alive and silent. For the watchdog's tests; started with
 * `startSourceWorker` and the run's `WorkerInit` plus `{ stuck: { rank, atStep } }`.
 */
import { parentPort, workerData } from 'node:worker_threads'

const { rank, stuck } = workerData as { rank: number; stuck: { rank: number; atStep: number } }
let steps = 0
// Registered before the worker's own listener (listeners run in order), so the step never reaches it.
parentPort!.on('message', (message: { type: string }) => {
  if (message.type === 'step' && rank === stuck.rank && ++steps === stuck.atStep)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
})
// Loaded only now, so that its listener comes second (a static import would run it first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../src/main/engine/train/parallel/train-worker')
