/**
 * A job of the worker pool: the request, how its caller may cancel it, the watchdog's deadline
 * for it, and how it settles (once: a late reply to a cancelled job only frees its thread's place).
 */
import type { TransferListItem } from 'node:worker_threads'
import type { PoolThread, ThreadLoss } from './pool-thread'

/** A message type without its `id` (distributed over a union), as callers hand requests in. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

export type PoolErrorKind =
  /** The job's signal aborted. */
  | 'cancelled'
  /** The pool was closed. */
  | 'closed'
  /** The thread holding the job was lost (`loss` says why). */
  | 'lost'
  /** No thread is left: the pool has failed. */
  | 'stopped'

export class WorkerPoolError extends Error {
  constructor(
    readonly kind: PoolErrorKind,
    message: string,
    readonly loss: ThreadLoss | null = null
  ) {
    super(message)
    this.name = 'WorkerPoolError'
  }
}

export interface Deadline {
  /** How long the job may go unanswered. */
  ms: number
  /** Added to the stuck report, e.g. "steps take 0.4 s". */
  note?: string
  /**
   * Asked when the time is up: true when the thread is only waiting for other threads (a
   * barrier), so not the stuck one; it is then given the same time again.
   */
  waiting?: () => boolean
}

export interface RunOptions {
  transfer?: readonly TransferListItem[]
  /** Aborting rejects the job at once (kind 'cancelled'); a thread holding it is sent `cancel(id)`. */
  signal?: AbortSignal
  cancel?: (id: number) => unknown
  /** Post to this thread now, bypassing the queue. */
  on?: PoolThread
  /** The watchdog's limit for this job. */
  deadline?: Deadline
}

/** A job as the pool keeps it. */
export interface Job {
  id: number
  message: object
  options: RunOptions
  resolve: (reply: never) => void
  reject: (err: Error) => void
  settled: boolean
  /** Stops following the job's signal (the pool listens once per signal, not once per job). */
  detach?: () => void
  timer?: NodeJS.Timeout
  postedAt: number
}

/** Settles `job` with a reply or an error, once. */
export function settle(job: Job, outcome: unknown): void {
  if (job.settled) return
  job.settled = true
  job.detach?.()
  if (outcome instanceof Error) job.reject(outcome)
  else job.resolve(outcome as never)
}

/**
 * Starts the job's watchdog: `stuck` is called with the reason once the deadline passes
 * unanswered, unless the thread is only waiting for others (then it gets the same time again).
 */
export function watch(job: Job, stuck: (reason: string) => void): void {
  const deadline = job.options.deadline
  if (!deadline) return
  const check = (): void => {
    if (deadline.waiting?.()) {
      job.timer = setTimeout(check, deadline.ms).unref()
      return
    }
    const silent = seconds(performance.now() - job.postedAt)
    stuck(`did not answer for ${silent}${deadline.note ? ` (${deadline.note})` : ''}`)
  }
  job.timer = setTimeout(check, deadline.ms).unref()
}

/** How long for a person: "63 s", "0.4 s". */
export function seconds(ms: number): string {
  const s = ms / 1000
  return `${s >= 10 ? Math.round(s) : Number(s.toPrecision(2))} s`
}
