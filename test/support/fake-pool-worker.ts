/**
 * A stand-in worker thread for the worker pool's tests, as an eval'd CommonJS string (no build,
 * starts in milliseconds). It answers `{ type: 'echo', value, delayMs }` after the delay with the
 * value, how many requests it held then and the ids it was told to cancel; `{ type: 'block' }` blocks the thread for good (an
 * endless `Atomics.wait`, as a deadlocked worker would); `{ type: 'exit', code, say }` writes
 * `say` to stderr and exits; `{ type: 'close' }` lets the thread end by itself.
 */
import { Worker } from 'node:worker_threads'

export interface FakePoolWorkerOptions {
  /** 'throw': fail while starting; 'broken': report itself broken instead of ready. */
  mode?: 'normal' | 'throw' | 'broken'
  /** Written to stderr before 'ready' (a library's banner). */
  banner?: string
}

const script = `
const { parentPort, workerData } = require('node:worker_threads')
if (workerData.banner) console.error(workerData.banner)
if (workerData.mode === 'throw') throw new Error('nothing to load (fake)')
if (workerData.mode === 'broken') {
  parentPort.postMessage({ type: 'broken', message: 'weights missing (fake)' })
} else {
  let held = 0
  const cancelled = []
  parentPort.on('message', (m) => {
    if (m.type === 'close') { parentPort.close(); return }
    if (m.type === 'cancel') { cancelled.push(m.id); return }
    if (m.type === 'exit') { if (m.say) process.stderr.write(m.say + '\\n', () => process.exit(m.code)); else process.exit(m.code); return }
    if (m.type === 'block') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
    held++
    const heldNow = held
    setTimeout(() => {
      held--
      parentPort.postMessage({ type: 'echo', id: m.id, value: m.value, held: heldNow, thread: workerData.tag, cancelled })
    }, m.delayMs || 0)
  })
  parentPort.postMessage({ type: 'ready' })
}
`

/** A start function for the pool; each thread gets the next tag (0, 1, …) to tell them apart. */
export function startFakePoolWorker(options: FakePoolWorkerOptions = {}): () => Worker {
  let tag = 0
  return () => new Worker(script, { eval: true, workerData: { mode: options.mode ?? 'normal', banner: options.banner, tag: tag++ } })
}

export type FakeRequest =
  | { type: 'echo'; id: number; value: number; delayMs?: number }
  | { type: 'block'; id: number }
  | { type: 'exit'; id: number; code: number; say?: string }

export interface FakeReply {
  type: 'echo'
  id: number
  value: number
  /** Requests the thread held when it answered this one. */
  held: number
  thread: number
  /** Ids the thread was told to cancel so far. */
  cancelled: number[]
}
