/**
 * The training worker threads of one run, seen from the engine thread: starting them, numbering
 * requests and collecting every worker's reply, noticing a worker that stops (abort the barrier,
 * keep the reason until `clearFailure()`), and holding the process open only while a request is out.
 * Kept apart from `ParallelTrainer` so the coordinator reads as the steps it runs.
 */
import { type Worker } from 'node:worker_threads'
import { abortBarrier } from './barrier'
import type { FromTrainWorker, ToTrainWorker, WorkerInit } from './protocol'
import { startWorker } from '../../workers/start-worker'
import { messageOf } from '../../../../shared/errors'

/** A worker thread ended or failed; the published state is intact and `recover()` continues. */
export class WorkerLostError extends Error {
  constructor(
    message: string,
    readonly lostRanks: number[]
  ) {
    super(message)
    this.name = 'WorkerLostError'
  }
}

/** One worker thread and what the engine thread knows of it. */
export interface Slot {
  worker: Worker
  rank: number
  alive: boolean
  ready: boolean
  error: string | null
}

/** Every reply to one request, by worker, and the workers lost before replying. */
export interface Collected {
  replies: Map<Slot, FromTrainWorker>
  lost: Slot[]
}

interface Pending {
  seq: number
  waiting: Set<Slot>
  replies: Map<Slot, FromTrainWorker>
  lost: Slot[]
  done: () => void
}

export class TrainWorkers {
  private slots: Slot[] = []
  private nextSeq = 1
  private pending: Pending | null = null
  private lostWorkers: { message: string; ranks: number[] } | null = null
  private closing = false

  constructor(
    private readonly init: Omit<WorkerInit, 'rank'>,
    /** The shared control block: a lost worker aborts its barrier. */
    private readonly control: Int32Array,
    private readonly startWorker: (init: WorkerInit) => Worker,
    /** The workers the run started with: `regroup` starts new ones up to this many. */
    private readonly maxWorkers: number
  ) {}

  /** Starts `maxWorkers` workers; resolves when all are ready, rejects if one cannot start. */
  async startAll(): Promise<void> {
    await Promise.all(Array.from({ length: this.maxWorkers }, (_, rank) => this.spawn(rank)))
  }

  /** Live workers, by rank. */
  live(): Slot[] {
    return this.slots.filter((s) => s.alive).sort((a, b) => a.rank - b.rank)
  }

  /** A request is awaiting replies. */
  get busy(): boolean {
    return this.pending !== null
  }

  get closed(): boolean {
    return this.closing
  }

  /** Why the run cannot step until `regroup()` (and which ranks stopped), or null. */
  get failure(): { message: string; ranks: number[] } | null {
    return this.lostWorkers
  }

  /**
   * Posts each of `slots` its message under a fresh sequence number (the tuple's second item:
   * buffers to transfer) and resolves once every one replied or was lost.
   */
  request(slots: Slot[], messageFor: (slot: Slot, seq: number) => [ToTrainWorker, ArrayBuffer[]?]): Promise<Collected> {
    const seq = this.nextSeq++
    const collected = this.collect(seq, slots)
    for (const slot of slots) {
      const [message, transfer = []] = messageFor(slot, seq)
      slot.worker.postMessage(message, transfer)
    }
    return collected
  }

  /**
   * Goes on with the surviving workers re-ranked 0..n−1 (default), or starts new ones up to
   * `workers` (at most `maxWorkers`); then the run may step again.
   */
  async regroup(workers?: number): Promise<void> {
    const survivors = this.live()
    this.slots = survivors
    const target = Math.min(this.maxWorkers, Math.max(1, workers ?? survivors.length))
    // One at a time: each is a request of its own.
    for (const [rank, slot] of survivors.entries()) await this.configure(slot, rank)
    const spawned: Promise<void>[] = []
    for (let rank = survivors.length; rank < target; rank++) spawned.push(this.spawn(rank))
    await Promise.all(spawned)
  }

  /** The run may step again (after `regroup()` and the barrier's reset). */
  clearFailure(): void {
    this.lostWorkers = null
  }

  /** Ends every worker; resolves once they have exited. */
  async dispose(): Promise<void> {
    this.closing = true
    const slots = this.slots
    this.slots = []
    await Promise.all(
      slots.map(async (slot) => {
        if (!slot.alive) return
        const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()))
        if (slot.ready) slot.worker.postMessage({ type: 'close' } satisfies ToTrainWorker)
        else await slot.worker.terminate()
        const timer = setTimeout(() => void slot.worker.terminate(), 5000)
        await exited
        clearTimeout(timer)
      })
    )
  }

  private spawn(rank: number): Promise<void> {
    const init: WorkerInit = { ...this.init, rank }
    const worker = this.startWorker(init)
    const slot: Slot = { worker, rank, alive: true, ready: false, error: null }
    this.slots.push(slot)
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromTrainWorker) => {
        if (message.type === 'ready') {
          slot.ready = true
          this.holdWhileBusy()
          resolve()
          return
        }
        this.receive(slot, message)
      })
      worker.on('error', (err) => {
        slot.error = messageOf(err)
      })
      worker.on('exit', (code) => {
        slot.alive = false
        if (!slot.ready) {
          reject(new Error(`training worker ${rank} could not start: ${slot.error ?? `it exited with code ${code}`}`))
          return
        }
        if (this.closing) return
        this.lose(slot, slot.error ?? `it exited with code ${code}`)
      })
    })
  }

  /** A worker is gone: nobody may wait for it at a barrier, and steps stop until `recover()`. */
  private lose(slot: Slot, why: string): void {
    abortBarrier(this.control)
    const ranks = [...(this.lostWorkers?.ranks ?? []), slot.rank]
    const left = this.live().length
    this.lostWorkers = {
      message: `training worker ${slot.rank} stopped (${why}); ${left} of ${this.slots.length} worker(s) left`,
      ranks
    }
    const pending = this.pending
    if (pending?.waiting.delete(slot)) {
      pending.lost.push(slot)
      if (pending.waiting.size === 0) pending.done()
    }
    this.holdWhileBusy()
  }

  private receive(slot: Slot, message: FromTrainWorker): void {
    const pending = this.pending
    if (!pending || !('seq' in message) || message.seq !== pending.seq) return
    pending.replies.set(slot, message)
    pending.waiting.delete(slot)
    if (pending.waiting.size === 0) pending.done()
  }

  private collect(seq: number, slots: Slot[]): Promise<Collected> {
    return new Promise((resolve) => {
      const pending: Pending = {
        seq,
        waiting: new Set(slots),
        replies: new Map(),
        lost: [],
        done: () => {
          this.pending = null
          this.holdWhileBusy()
          resolve({ replies: pending.replies, lost: pending.lost })
        }
      }
      this.pending = pending
      this.holdWhileBusy()
    })
  }

  private configure(slot: Slot, rank: number): Promise<void> {
    slot.rank = rank
    return this.request([slot], (_, seq) => [{ type: 'configure', seq, rank }]).then(({ lost }) => {
      if (lost.length > 0) throw new WorkerLostError(this.lostWorkers?.message ?? 'a worker stopped', [rank])
    })
  }

  /**
   * Workers keep the process alive only while something awaits them, so a host that forgets
   * `dispose()` still exits (as `ParallelDecoder` does).
   */
  private holdWhileBusy(): void {
    const busy = this.pending !== null
    for (const slot of this.slots) {
      if (!slot.alive) continue
      if (busy || !slot.ready) slot.worker.ref()
      else slot.worker.unref()
    }
  }
}

/** One training worker, from the build or the sources, given its share of the run. */
export function startTrainWorker(init: WorkerInit): Worker {
  return startWorker('train-worker', { workerData: init })
}
