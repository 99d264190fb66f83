/**
 * A pool of face worker threads (one per core by default): a queue, at most two requests inside
 * each worker (one in the nets, the next decoding), cancellation through AbortSignal, and a clear
 * error when a worker dies. A worker that dies mid-photo (a crash, an out-of-memory) fails only
 * the requests it held, and is replaced; one that cannot even start (nets or wasm failing to
 * load) is not retried, and when no worker is left every waiting request fails with the reason.
 */
import * as os from 'node:os'
import { type Worker } from 'node:worker_threads'
import { StudioError, messageOf } from '../../../shared/errors'
import type { FaceWorkerStats, FromFaceWorker, ToFaceWorker } from './face-worker-protocol'
import { startWorker } from '../workers/start-worker'

type Request = Exclude<ToFaceWorker, { type: 'cancel' | 'exit' }>
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never
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

interface Job {
  id: number
  body: RequestBody
  transfer: ArrayBuffer[]
  resolve: (reply: Reply) => void
  reject: (err: Error) => void
  signal?: AbortSignal
  onAbort?: () => void
  settled: boolean
}

interface Slot {
  worker: Worker
  ready: boolean
  /** Requests posted to this worker and not answered yet (answered-after-cancel ones included). */
  held: Map<number, Job>
}

export class FacePool {
  readonly size: number
  private readonly perWorker: number
  private readonly startWorker: () => Worker
  private restartsLeft: number
  private readonly slots = new Set<Slot>()
  private readonly queue: Job[] = []
  private nextId = 1
  private failure: Error | null = null
  private closed = false

  constructor(options: FacePoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.workers ?? defaultWorkers()))
    this.perWorker = Math.max(1, options.perWorker ?? 2)
    this.restartsLeft = options.maxRestarts ?? 4
    this.startWorker = options.startWorker ?? startFaceWorker
    for (let i = 0; i < this.size; i++) this.spawn()
  }

  /** Sends a request to the next free worker; rejects with code 'cancelled' when `signal` aborts. */
  request(body: RequestBody, signal?: AbortSignal, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.closed) return Promise.reject(new StudioError('cancelled', 'the face finder is closed'))
    if (this.failure) return Promise.reject(this.failure)
    if (signal?.aborted) return Promise.reject(cancelledError())
    return new Promise<Reply>((resolve, reject) => {
      const job: Job = { id: this.nextId++, body, transfer, resolve, reject, signal, settled: false }
      if (signal) {
        job.onAbort = () => this.abort(job)
        signal.addEventListener('abort', job.onAbort, { once: true })
      }
      this.queue.push(job)
      this.dispatch()
    })
  }

  /** tfjs memory and counters of every running worker (debug and leak checks). */
  async stats(): Promise<FaceWorkerStats[]> {
    await this.whenReady()
    const replies = await Promise.all([...this.slots].filter((s) => s.ready).map((slot) => this.direct(slot, { type: 'stats' })))
    return replies.map((reply) => (reply as Extract<Reply, { type: 'stats' }>).stats)
  }

  /** Resolves once every worker has started (or failed to). */
  async whenReady(): Promise<void> {
    while (!this.closed && !this.failure && [...this.slots].some((slot) => !slot.ready)) await new Promise((r) => setTimeout(r, 20))
    if (this.failure) throw this.failure
  }

  /** Debug: makes one worker (a busy one if any) exit as if it had crashed. */
  crashOne(code = 1): void {
    const slots = [...this.slots].filter((slot) => slot.ready)
    const slot = slots.find((s) => s.held.size > 0) ?? slots[0]
    slot?.worker.postMessage({ type: 'exit', code } satisfies ToFaceWorker)
  }

  /** Fails waiting requests, ends every worker. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const job of this.queue.splice(0)) this.settle(job, new StudioError('cancelled', 'the face finder was closed'))
    const workers = [...this.slots].map((slot) => {
      for (const job of slot.held.values()) this.settle(job, new StudioError('cancelled', 'the face finder was closed'))
      return slot.worker
    })
    this.slots.clear()
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  private spawn(): void {
    let worker: Worker
    try {
      worker = this.startWorker()
    } catch (err) {
      this.lost(null, `could not start a face worker: ${messageOf(err)}`, false)
      return
    }
    const slot: Slot = { worker, ready: false, held: new Map() }
    this.slots.add(slot)
    let reason: string | null = null
    worker.on('message', (message: FromFaceWorker) => this.receive(slot, message))
    worker.on('error', (err) => (reason = messageOf(err)))
    worker.on('exit', (code) => {
      if (!this.slots.has(slot)) return
      this.slots.delete(slot)
      const what = reason ? `failed: ${reason}` : `exited with code ${code}`
      this.lost(slot, slot.ready ? `a face worker ${what}` : `a face worker could not start (${what})`, slot.ready)
    })
    this.hold()
  }

  /** A worker is gone: fail what it held, replace it if it had worked, fail everything if none is left. */
  private lost(slot: Slot | null, message: string, restartable: boolean): void {
    if (this.closed) return
    for (const job of slot?.held.values() ?? []) this.settle(job, new StudioError('internal', `${message} while working on this request`))
    if (restartable && this.restartsLeft > 0) {
      this.restartsLeft--
      this.spawn()
    } else if (this.slots.size === 0) {
      this.failure = new StudioError('internal', `face detection stopped: ${message}`)
      for (const job of this.queue.splice(0)) this.settle(job, this.failure)
    }
    this.dispatch()
  }

  private receive(slot: Slot, message: FromFaceWorker): void {
    if (message.type === 'ready') {
      slot.ready = true
    } else {
      const job = slot.held.get(message.id)
      slot.held.delete(message.id)
      if (job) {
        if (message.type === 'failed') this.settle(job, new StudioError('internal', message.message))
        else if (message.type === 'cancelled') this.settle(job, cancelledError())
        else this.settle(job, message)
      }
    }
    this.dispatch()
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (slot.ready && slot.held.size < this.perWorker && this.queue.length > 0) {
        const job = this.queue.shift()!
        slot.held.set(job.id, job)
        slot.worker.postMessage({ ...job.body, id: job.id }, job.transfer)
      }
    }
    this.hold()
  }

  /** A request that bypasses the queue (stats); answered in the worker's turn. */
  private direct(slot: Slot, body: RequestBody): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const job: Job = { id: this.nextId++, body, transfer: [], resolve, reject, settled: false }
      slot.held.set(job.id, job)
      slot.worker.postMessage({ ...body, id: job.id })
      this.hold()
    })
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job)
    if (queued >= 0) this.queue.splice(queued, 1)
    for (const slot of this.slots) if (slot.held.has(job.id)) slot.worker.postMessage({ type: 'cancel', id: job.id } satisfies ToFaceWorker)
    // Settled now; the worker's late answer only frees its place (see receive).
    this.settle(job, cancelledError())
  }

  private settle(job: Job, outcome: Reply | Error): void {
    if (job.settled) return
    job.settled = true
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort)
    if (outcome instanceof Error) job.reject(outcome)
    else job.resolve(outcome)
  }

  /**
   * Workers keep the process alive only while they hold work or start up; an idle pool that
   * its owner forgot to close does not stop the process from ending.
   */
  private hold(): void {
    const busy = this.queue.length > 0
    for (const slot of this.slots) {
      if (busy || slot.held.size > 0 || !slot.ready) slot.worker.ref()
      else slot.worker.unref()
    }
  }
}

function defaultWorkers(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
}

function cancelledError(): StudioError {
  return new StudioError('cancelled', 'face finding cancelled')
}

/** One face worker, from the build or the sources. */
export function startFaceWorker(): Worker {
  return startWorker('face-worker')
}
