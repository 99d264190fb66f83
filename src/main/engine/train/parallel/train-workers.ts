/**
 * The training worker threads of one run, on the engine's worker pool, seen from the engine
 * thread: each thread's rank, requests sent to several threads at once whose replies are
 * collected together (a step, an evaluation), and what a lost thread means for the run: its
 * barrier is aborted, and the run cannot step until `regroup()`. A thread is lost when it exits,
 * fails, or, by the watchdog, when it leaves a request unanswered past its deadline.
 * Kept apart from `ParallelTrainer` so the coordinator reads as the steps it runs.
 */
import type { Worker } from 'node:worker_threads'
import { abortBarrier, waitingAtBarrier } from './barrier'
import type { FromTrainWorker, ToTrainWorker, WorkerInit } from './protocol'
import { startWorker } from '../../workers/start-worker'
import { WorkerPoolError, type Deadline, type WithoutId } from '../../workers/pool-job'
import type { PoolThread, ThreadLoss } from '../../workers/pool-thread'
import { WorkerPool } from '../../workers/worker-pool'

type TrainRequest = Exclude<ToTrainWorker, { type: 'close' }>

/** Every reply to one request, by thread, and the threads lost before replying. */
export interface Collected {
  replies: Map<PoolThread, FromTrainWorker>
  lost: PoolThread[]
}

export class TrainWorkers {
  private readonly pool: WorkerPool<TrainRequest, FromTrainWorker>
  /** The run's threads (lost ones too, until `regroup()`), by rank. */
  private readonly ranks = new Map<PoolThread, number>()
  private lostWorkers: { message: string; ranks: number[] } | null = null
  private inFlight = 0
  private closing = false

  constructor(
    private readonly init: Omit<WorkerInit, 'rank'>,
    /** The shared control block: a lost worker aborts its barrier. */
    private readonly control: Int32Array,
    private readonly startThread: (init: WorkerInit) => Worker,
    /** The workers the run started with: `regroup` starts new ones up to this many. */
    private readonly maxWorkers: number
  ) {
    this.pool = new WorkerPool({
      closeMessage: { type: 'close' } satisfies ToTrainWorker,
      describe: (loss) => `training worker ${this.rankOf(loss.thread)} could not start: ${loss.reason}`,
      onLost: (loss) => this.lose(loss)
    })
  }

  /** Starts `maxWorkers` workers; resolves when all are ready, rejects if one cannot start. */
  async startAll(): Promise<void> {
    for (let rank = 0; rank < this.maxWorkers; rank++) this.spawn(rank)
    await this.started()
  }

  /** Live workers, by rank. */
  live(): PoolThread[] {
    return this.pool.live().sort((a, b) => this.rankOf(a) - this.rankOf(b))
  }

  rankOf(thread: PoolThread | null): number {
    return (thread && this.ranks.get(thread)) ?? -1
  }

  /** A request is awaiting replies. */
  get busy(): boolean {
    return this.inFlight > 0
  }

  get closed(): boolean {
    return this.closing
  }

  /** Why the run cannot step until `regroup()` (and which ranks stopped), or null. */
  get failure(): { message: string; ranks: number[] } | null {
    return this.lostWorkers
  }

  /**
   * Posts each of `threads` its message (the tuple's second item: buffers to transfer), under the
   * watchdog's `deadline` if given (a worker waiting at a barrier is not the stuck one), and
   * resolves once every one replied or was lost.
   */
  async request(
    threads: PoolThread[],
    messageFor: (rank: number) => [WithoutId<TrainRequest>, ArrayBuffer[]?],
    deadline?: Deadline
  ): Promise<Collected> {
    this.inFlight++
    try {
      const outcomes = await Promise.allSettled(
        threads.map((thread) => {
          const rank = this.rankOf(thread)
          const [message, transfer = []] = messageFor(rank)
          // A worker waiting at a barrier is held up by another: the watchdog blames that one.
          const limit = deadline && { ...deadline, waiting: () => waitingAtBarrier(this.control, rank) }
          return this.pool.run(message, { on: thread, transfer, deadline: limit })
        })
      )
      const collected: Collected = { replies: new Map(), lost: [] }
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') collected.replies.set(threads[i], outcome.value)
        else if (outcome.reason instanceof WorkerPoolError && outcome.reason.kind !== 'cancelled') collected.lost.push(threads[i])
        else throw outcome.reason
      })
      return collected
    } finally {
      this.inFlight--
    }
  }

  /**
   * Goes on with the surviving workers re-ranked 0..n−1 (default), or starts new ones up to
   * `workers` (at most `maxWorkers`); then the run may step again.
   */
  async regroup(workers?: number): Promise<void> {
    const survivors = this.live()
    this.ranks.clear()
    const target = Math.min(this.maxWorkers, Math.max(1, workers ?? survivors.length))
    // One at a time: each is a request of its own.
    for (const [rank, thread] of survivors.entries()) {
      this.ranks.set(thread, rank)
      const { lost } = await this.request([thread], () => [{ type: 'configure', rank }])
      if (lost.length > 0) throw new Error(this.lostWorkers?.message ?? `training worker ${rank} stopped`)
    }
    for (let rank = survivors.length; rank < target; rank++) this.spawn(rank)
    await this.started()
  }

  /** The run may step again (after `regroup()` and the barrier's reset). */
  clearFailure(): void {
    this.lostWorkers = null
  }

  /** Ends every worker (each closes itself; one that does not within 5 s is terminated). */
  async dispose(): Promise<void> {
    this.closing = true
    await this.pool.close()
  }

  private spawn(rank: number): void {
    const thread = this.pool.add(() => this.startThread({ ...this.init, rank }))
    if (thread) this.ranks.set(thread, rank)
  }

  private async started(): Promise<void> {
    const [lost] = await this.pool.whenStarted()
    if (lost) throw new Error(`training worker ${this.rankOf(lost.thread)} could not start: ${lost.reason}`)
  }

  /** A worker is gone: nobody may wait for it at a barrier, and steps stop until `regroup()`. */
  private lose(loss: ThreadLoss): void {
    if (loss.phase === 'start' || this.closing) return
    abortBarrier(this.control)
    const rank = this.rankOf(loss.thread)
    const left = this.live().length
    const message =
      loss.cause === 'stuck'
        ? `training worker ${rank} ${loss.reason}; it was stopped — Resume goes on with ${left} worker${left === 1 ? '' : 's'}`
        : `training worker ${rank} stopped (${loss.cause === 'error' ? loss.reason : `it ${loss.reason}`}); ${left} of ${this.ranks.size} worker(s) left`
    this.lostWorkers = { message, ranks: [...(this.lostWorkers?.ranks ?? []), rank] }
  }
}

/** One training worker, from the build or the sources, given its share of the run. */
export function startTrainWorker(init: WorkerInit): Worker {
  return startWorker('train-worker', { workerData: init })
}
