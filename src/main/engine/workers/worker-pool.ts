/**
 * The one way the engine runs work on worker threads (faces, face embeddings, grid decoding,
 * training): a pool starts the threads, feeds them jobs, matches each reply to its request,
 * notices a thread that dies or hangs, and ends them all. Each user keeps only what is its own
 * (its messages, its error texts, training's barrier).
 *
 * The protocol it assumes: a thread posts `{ type: 'ready' }` once it can work (or
 * `{ type: 'broken', message }` when it never will); every request the pool posts carries an `id`
 * the pool chose, and the reply to it carries the same `id`.
 *
 * - **Queue.** Jobs wait in one queue and go to the first started thread with room (`perWorker`
 *   jobs at once; `limit()` narrows which threads take new jobs). A job may instead name its
 *   thread (`on`): then it is posted at once, whatever that thread holds.
 * - **Loss.** A thread that exits, fails or reports itself broken rejects the jobs it held with
 *   the reason (its error, else its exit code and its last stderr line); one that had started is
 *   replaced while `restarts` last. With no thread left the pool has failed, and every waiting
 *   and later job is rejected with that reason.
 * - **Watchdog.** A job may carry a deadline: when it passes unanswered the thread is taken for
 *   stuck, terminated, and its jobs rejected saying how long it was silent.
 * - **Process life.** A thread is referenced only while it holds a job, or while it starts for
 *   someone who waits for it (`whenStarted()`, a queued job), so an idle pool that its owner
 *   forgot to close never keeps the process alive.
 */
import type { TransferListItem, Worker } from 'node:worker_threads'
import { messageOf } from '../../../shared/errors'
import { WorkerPoolError, settle, watch, type Job, type RunOptions, type WithoutId } from './pool-job'
import { Thread, type PoolThread, type ThreadLoss } from './pool-thread'

export interface WorkerPoolOptions {
  /** Threads started at once. */
  size?: number
  /** Starts one thread (the initial ones and replacements); `add()` may bring its own. */
  start?: () => Worker
  /** Jobs a thread holds at once (default 1). */
  perWorker?: number
  /** Replacements for threads lost after they started, over the pool's life (default 0). */
  restarts?: number
  /** The words of its errors, e.g. `a face worker exited with code 3`; default `a worker thread …`. */
  describe?: (loss: ThreadLoss) => string
  /** Told of every lost thread, after its jobs were rejected (training aborts its barrier here). */
  onLost?: (loss: ThreadLoss) => void
  /** Posted at `close()` to a started thread so it can end itself (else it is terminated). */
  closeMessage?: unknown
}

export class WorkerPool<Request extends { id: number }, Reply extends { type: string }> {
  private readonly threads = new Set<Thread<Job>>()
  private readonly queue: Job[] = []
  private readonly perWorker: number
  private restartsLeft: number
  private nextIndex = 0
  private nextId = 1
  private active = Infinity
  private startWaiters = 0
  private readonly waiting: Array<() => void> = []
  private readonly startLosses: ThreadLoss[] = []
  /** The jobs of each signal, behind one listener per signal: a face import's thousand jobs add one, not a thousand. */
  private readonly signals = new Map<AbortSignal, { jobs: Set<Job>; listener: () => void }>()
  private failed: WorkerPoolError | null = null
  private closing = false

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.perWorker = Math.max(1, options.perWorker ?? 1)
    this.restartsLeft = options.restarts ?? 0
    for (let i = 0; i < (options.size ?? 0); i++) this.add()
  }

  /**
   * Starts one more thread (with `start`, else the pool's own start function). Returns null when
   * it could not even be created; that counts as a thread lost at start.
   */
  add(start: (() => Worker) | undefined = this.options.start): PoolThread | null {
    if (!start) throw new Error('this pool has no start function')
    const index = this.nextIndex++
    let worker: Worker
    try {
      worker = start()
    } catch (err) {
      this.lose(null, 'start', 'spawn', messageOf(err))
      return null
    }
    const thread = new Thread<Job>(worker, index)
    this.threads.add(thread)
    // A pool that lost every thread works again once it has one.
    this.failed = null
    worker.on('message', (message: Reply) => this.receive(thread, message))
    worker.on('error', (err) => (thread.error ??= messageOf(err)))
    worker.on('exit', (code) => {
      if (thread.alive) this.lose(thread, thread.started ? 'work' : 'start', ...thread.ending(code))
    })
    this.hold()
    return thread
  }

  /** Runs one job: queued for the next free thread (or posted to `options.on`); resolves with its reply. */
  run<R extends Reply = Reply>(message: WithoutId<Request>, options: RunOptions = {}): Promise<R> {
    if (this.closing) return Promise.reject(new WorkerPoolError('closed', 'its worker threads were closed'))
    if (this.failed) return Promise.reject(this.failed)
    if (options.signal?.aborted) return Promise.reject(new WorkerPoolError('cancelled', 'cancelled'))
    return new Promise<R>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        message,
        options,
        resolve: resolve as (reply: never) => void,
        reject,
        settled: false,
        postedAt: 0
      }
      if (options.signal) this.follow(job, options.signal)
      if (options.on) {
        const thread = options.on as Thread<Job>
        if (!thread.started) {
          settle(job, new WorkerPoolError('lost', `thread ${thread.index} is not running`))
          return
        }
        this.send(thread, job)
      } else {
        this.queue.push(job)
        this.dispatch()
      }
    })
  }

  /** Posts a message that has no reply (new weights, a cancel, a debug exit). */
  post(thread: PoolThread, message: unknown, transfer: readonly TransferListItem[] = []): void {
    if (!thread.alive) throw new WorkerPoolError('lost', `thread ${thread.index} is not running`)
    thread.worker.postMessage(message, transfer)
  }

  /** Started, live threads in start order. */
  live(): PoolThread[] {
    return [...this.threads].filter((t) => t.started).sort((a, b) => a.index - b.index)
  }

  /** Queued or unanswered jobs. */
  get busy(): boolean {
    return this.queue.length > 0 || [...this.threads].some((t) => t.held.size > 0)
  }

  /** Why the pool cannot work any more (no thread left), or null. */
  get failure(): WorkerPoolError | null {
    return this.failed
  }

  /** New jobs go to at most the first `count` live threads (the others finish what they hold and idle). */
  limit(count: number): void {
    this.active = Math.max(1, Math.floor(count))
    this.dispatch()
  }

  /**
   * Resolves once no thread is starting, with the threads lost while starting (and start
   * functions that threw); rejects when no thread is left. While awaited, starting threads keep
   * the process alive.
   */
  async whenStarted(): Promise<ThreadLoss[]> {
    this.startWaiters++
    this.hold()
    try {
      while (!this.closing && [...this.threads].some((t) => t.state === 'starting')) await new Promise<void>((r) => this.waiting.push(r))
    } finally {
      this.startWaiters--
      this.hold()
    }
    if (this.failed) throw this.failed
    return [...this.startLosses]
  }

  /** Rejects every job and ends every thread (asked to end itself with `closeMessage` first, if given). */
  async close(graceMs = 5000): Promise<void> {
    if (this.closing) return
    this.closing = true
    const closed = new WorkerPoolError('closed', 'its worker threads were closed')
    for (const job of this.queue.splice(0)) settle(job, closed)
    const threads = [...this.threads]
    this.threads.clear()
    this.wake()
    await Promise.all(
      threads.map(async (thread) => {
        for (const job of thread.held.values()) settle(job, closed)
        thread.stopWatchdogs()
        const polite = thread.started && this.options.closeMessage !== undefined
        thread.state = 'gone'
        const exited = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()))
        if (!polite) {
          await thread.worker.terminate()
          return
        }
        thread.worker.ref()
        thread.worker.postMessage(this.options.closeMessage)
        const timer = setTimeout(() => void thread.worker.terminate(), graceMs)
        await exited
        clearTimeout(timer)
      })
    )
  }

  private receive(thread: Thread<Job>, message: Reply): void {
    if (!thread.alive) return
    if (message.type === 'ready') {
      if (thread.state === 'starting') thread.state = 'started'
      // What it printed while starting (library banners) is no reason for a later exit.
      thread.tail.clear()
      this.wake()
    } else if (message.type === 'broken') {
      const reason = (message as unknown as { message?: string }).message ?? 'it reported itself broken'
      this.lose(thread, thread.started ? 'work' : 'start', 'broken', reason)
      void thread.worker.terminate()
      return
    } else {
      const id = (message as unknown as { id?: unknown }).id
      const job = typeof id === 'number' ? thread.held.get(id) : undefined
      if (job) {
        thread.held.delete(job.id)
        clearTimeout(job.timer)
        settle(job, message)
      }
    }
    this.dispatch()
  }

  private dispatch(): void {
    if (!this.closing) {
      const eligible = [...this.threads]
        .filter((t) => t.alive)
        .sort((a, b) => a.index - b.index)
        .slice(0, this.active)
      for (const thread of eligible) {
        while (thread.started && thread.held.size < this.perWorker && this.queue.length > 0) this.send(thread, this.queue.shift()!)
      }
    }
    this.hold()
  }

  private send(thread: Thread<Job>, job: Job): void {
    thread.held.set(job.id, job)
    job.postedAt = performance.now()
    watch(job, (reason) => this.stuck(thread, reason))
    thread.worker.postMessage({ ...job.message, id: job.id }, job.options.transfer ?? [])
    this.hold()
  }

  private lose(thread: Thread<Job> | null, phase: ThreadLoss['phase'], cause: ThreadLoss['cause'], reason: string): void {
    const loss: ThreadLoss = { thread, phase, cause, reason }
    if (thread) {
      thread.state = 'gone'
      this.threads.delete(thread)
      thread.stopWatchdogs()
    }
    if (this.closing) return
    if (phase === 'start') this.startLosses.push(loss)
    const message = this.describe(loss)
    for (const job of thread?.held.values() ?? []) settle(job, new WorkerPoolError('lost', message, loss))
    thread?.held.clear()
    if (phase === 'work' && this.restartsLeft > 0 && this.options.start) {
      this.restartsLeft--
      this.add()
    } else if (this.threads.size === 0) {
      this.failed = new WorkerPoolError('stopped', message, loss)
      for (const job of this.queue.splice(0)) settle(job, this.failed)
    }
    this.options.onLost?.(loss)
    this.wake()
    this.dispatch()
  }

  private describe(loss: ThreadLoss): string {
    if (this.options.describe) return this.options.describe(loss)
    return loss.phase === 'start' ? `a worker thread could not start: ${loss.reason}` : `a worker thread stopped: ${loss.reason}`
  }

  /** The watchdog: a job unanswered past its deadline means its thread is stuck. */
  private stuck(thread: Thread<Job>, reason: string): void {
    if (!thread.alive) return
    this.lose(thread, 'work', 'stuck', reason)
    void thread.worker.terminate()
  }

  /** Aborts `job` with `signal`; the signal's one listener is removed with its last job. */
  private follow(job: Job, signal: AbortSignal): void {
    let entry = this.signals.get(signal)
    if (!entry) {
      const jobs = new Set<Job>()
      const listener = (): void => {
        this.signals.delete(signal)
        for (const each of [...jobs]) this.abort(each)
      }
      signal.addEventListener('abort', listener, { once: true })
      entry = { jobs, listener }
      this.signals.set(signal, entry)
    }
    const followed = entry
    followed.jobs.add(job)
    job.detach = () => {
      followed.jobs.delete(job)
      if (followed.jobs.size > 0 || this.signals.get(signal) !== followed) return
      signal.removeEventListener('abort', followed.listener)
      this.signals.delete(signal)
    }
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job)
    if (queued >= 0) this.queue.splice(queued, 1)
    for (const thread of this.threads) {
      // Settled now; the thread's late answer only frees its place (see receive).
      if (thread.held.has(job.id) && job.options.cancel) thread.worker.postMessage(job.options.cancel(job.id))
    }
    settle(job, new WorkerPoolError('cancelled', 'cancelled'))
    this.dispatch()
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve()
  }

  /** Referenced while holding work, or starting for someone who waits (a caller of whenStarted, a queued job). */
  private hold(): void {
    const wanted = this.startWaiters > 0 || this.queue.length > 0
    for (const thread of this.threads) thread.hold(wanted)
  }
}
