/**
 * The face worker threads (one per core by default) on the engine's worker pool: at most two
 * requests inside each worker (one in the nets, the next decoding), cancellation through
 * AbortSignal, and the user's words for what went wrong. A worker that dies mid-photo (a crash,
 * an out-of-memory) fails only the requests it held, and is replaced; one that cannot even start
 * (nets or wasm failing to load) is not, and when no worker is left every waiting request fails
 * with the reason.
 */
import * as os from 'node:os'
import type { Worker } from 'node:worker_threads'
import { StudioError } from '../../../shared/errors'
import type { FaceWorkerStats, FromFaceWorker, ToFaceWorker } from './face-worker-protocol'
import { startWorker } from '../workers/start-worker'
import { WorkerPoolError, type WithoutId } from '../workers/pool-job'
import type { ThreadLoss } from '../workers/pool-thread'
import { WorkerPool } from '../workers/worker-pool'

type Request = Exclude<ToFaceWorker, { type: 'cancel' | 'exit' }>
type RequestBody = WithoutId<Request>
type Reply = Exclude<FromFaceWorker, { type: 'ready' }>

export interface FacePoolOptions {
  /** Worker threads; default: one per core. */
  workers?: number
  /** Requests held by one worker at once (one running, the rest decoding ahead). */
  perWorker?: number
  /** Replacements for workers that die after starting, over the pool's life. */
  maxRestarts?: number
  /** How to start a worker; replaceable so tests can make one fail. */
  startWorker?: () => Worker
}

export class FacePool {
  readonly size: number
  private readonly pool: WorkerPool<Request, FromFaceWorker>

  constructor(options: FacePoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.workers ?? os.availableParallelism()))
    this.pool = new WorkerPool({
      size: this.size,
      start: options.startWorker ?? startFaceWorker,
      perWorker: options.perWorker ?? 2,
      restarts: options.maxRestarts ?? 4,
      describe
    })
  }

  /** Sends a request to the next free worker; rejects with code 'cancelled' when `signal` aborts. */
  async request(body: RequestBody, signal?: AbortSignal, transfer: ArrayBuffer[] = []): Promise<Reply> {
    let reply: FromFaceWorker
    try {
      reply = await this.pool.run(body, { signal, transfer, cancel: (id) => ({ type: 'cancel', id }) satisfies ToFaceWorker })
    } catch (err) {
      throw faceError(err)
    }
    if (reply.type === 'failed') throw new StudioError('internal', reply.message)
    if (reply.type === 'cancelled') throw cancelledError()
    return reply as Reply
  }

  /** tfjs memory and counters of every running worker (debug and leak checks). */
  async stats(): Promise<FaceWorkerStats[]> {
    await this.whenReady()
    const replies = await Promise.all(this.pool.live().map((on) => this.pool.run({ type: 'stats' }, { on })))
    return replies.map((reply) => (reply as Extract<Reply, { type: 'stats' }>).stats)
  }

  /** Resolves once every worker has started (or failed to). */
  async whenReady(): Promise<void> {
    try {
      await this.pool.whenStarted()
    } catch (err) {
      throw faceError(err)
    }
  }

  /** Debug: makes one worker (a busy one if any) exit as if it had crashed. */
  crashOne(code = 1): void {
    const threads = this.pool.live()
    const thread = threads.find((t) => t.load > 0) ?? threads[0]
    if (thread) this.pool.post(thread, { type: 'exit', code } satisfies ToFaceWorker)
  }

  /** Fails waiting requests, ends every worker. */
  close(): Promise<void> {
    return this.pool.close()
  }
}

function describe(loss: ThreadLoss): string {
  const what = loss.cause === 'error' ? `failed: ${loss.reason}` : loss.reason
  if (loss.cause === 'spawn') return `could not start a face worker: ${loss.reason}`
  return loss.phase === 'start' ? `a face worker could not start (${what})` : `a face worker ${what}`
}

/** The pool's errors in the words and codes of the rest of the studio. */
function faceError(err: unknown): unknown {
  if (!(err instanceof WorkerPoolError)) return err
  switch (err.kind) {
    case 'cancelled':
      return cancelledError()
    case 'closed':
      return new StudioError('cancelled', 'the face finder was closed')
    case 'lost':
      return new StudioError('internal', `${err.message} while working on this request`)
    case 'stopped':
      return new StudioError('internal', `face detection stopped: ${err.message}`)
  }
}

function cancelledError(): StudioError {
  return new StudioError('cancelled', 'face finding cancelled')
}

/** One face worker, from the build or the sources. */
export function startFaceWorker(): Worker {
  return startWorker('face-worker')
}
