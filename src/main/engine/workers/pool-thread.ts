/**
 * One thread of the worker pool: whether it has started or is gone, the jobs it holds, the tail
 * of what it wrote to stderr, and, in words, why it ended.
 */
import type { Worker } from 'node:worker_threads'
import { StderrTail } from './stderr-tail'

/** One thread of the pool, as its users see it. */
export interface PoolThread {
  readonly worker: Worker
  /** Order of start, from 0, never reused: replacements get new numbers. */
  readonly index: number
  readonly started: boolean
  readonly alive: boolean
  /** Jobs posted to it and not answered yet (cancelled ones included until it answers). */
  readonly load: number
}

/** Why a thread is gone. */
export interface ThreadLoss {
  /** Null when the start function itself threw (no thread ever existed). */
  thread: PoolThread | null
  /** Before it reported ready, or while working. */
  phase: 'start' | 'work'
  /** What ended it: the start function threw, the thread's own error, its exit, its 'broken' report, or the watchdog. */
  cause: 'spawn' | 'error' | 'exit' | 'broken' | 'stuck'
  /** In words: the error's message, "exited with code 3[: last stderr line]", or "did not answer for 63 s (…)". */
  reason: string
}

/** A thread as the pool keeps it, holding jobs of type `J` (by id), each with its watchdog's timer. */
export class Thread<J extends { timer?: NodeJS.Timeout }> implements PoolThread {
  state: 'starting' | 'started' | 'gone' = 'starting'
  readonly held = new Map<number, J>()
  error: string | null = null
  readonly tail: StderrTail

  constructor(
    readonly worker: Worker,
    readonly index: number
  ) {
    this.tail = new StderrTail(worker.stderr)
  }

  get started(): boolean {
    return this.state === 'started'
  }

  get alive(): boolean {
    return this.state !== 'gone'
  }

  get load(): number {
    return this.held.size
  }

  /** Why it ended, in words: its own error, else its exit code and (after a failure) the last line it wrote to stderr. */
  ending(code: number): ['error' | 'exit', string] {
    if (this.error !== null) return ['error', this.error]
    const line = code !== 0 ? this.tail.lastLine : undefined
    return ['exit', `exited with code ${code}${line ? `: ${line}` : ''}`]
  }

  stopWatchdogs(): void {
    for (const job of this.held.values()) clearTimeout(job.timer)
  }

  /** Referenced while it holds work, or while it starts for someone who waits (`wanted`); else it never keeps the process alive. */
  hold(wanted: boolean): void {
    if (this.held.size > 0 || (this.state === 'starting' && wanted)) this.worker.ref()
    else this.worker.unref()
  }
}
