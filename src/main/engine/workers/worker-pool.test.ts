import { execFile } from 'node:child_process'
import { getEventListeners } from 'node:events'
import * as path from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import {
  startFakePoolWorker,
  type FakePoolWorkerOptions,
  type FakeReply,
  type FakeRequest
} from '../../../../test/support/fake-pool-worker'
import { tsxLoader } from './entry-point'
import { WorkerPoolError } from './pool-job'
import type { ThreadLoss } from './pool-thread'
import { WorkerPool, type WorkerPoolOptions } from './worker-pool'

type Pool = WorkerPool<FakeRequest, FakeReply>

/** Outcomes of promises expected to fail (handled at once, so none is ever unhandled). */
const failures = (jobs: Promise<unknown>[]): Promise<unknown[]> =>
  Promise.all(
    jobs.map((job) =>
      job.then(
        () => new Error('did not fail'),
        (err: unknown) => err
      )
    )
  )

describe('WorkerPool', () => {
  const pools: Pool[] = []
  const make = (options: WorkerPoolOptions & { fake?: FakePoolWorkerOptions } = {}): Pool => {
    const pool: Pool = new WorkerPool({ start: startFakePoolWorker(options.fake), ...options })
    pools.push(pool)
    return pool
  }
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()))
  })

  it('matches every reply to its request, whatever the order of completion, and gives a thread at most perWorker jobs', async () => {
    const pool = make({ size: 2, perWorker: 2 })
    // Later jobs finish first.
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => pool.run({ type: 'echo', value: i, delayMs: 60 - 5 * i })))
    expect(replies.map((r) => r.value)).toEqual(Array.from({ length: 12 }, (_, i) => i))
    expect(Math.max(...replies.map((r) => r.held))).toBe(2)
    expect(new Set(replies.map((r) => r.thread))).toEqual(new Set([0, 1]))
    expect(pool.busy).toBe(false)
  })

  it('posts a job that names its thread to that thread, past the queue', async () => {
    const pool = make({ size: 2 })
    await pool.whenStarted()
    const [a, b] = pool.live()
    const blocker = pool.run({ type: 'echo', value: 0, delayMs: 100 }, { on: a })
    const replies = await Promise.all([pool.run({ type: 'echo', value: 1 }, { on: a }), pool.run({ type: 'echo', value: 2 }, { on: b })])
    expect(replies.map((r) => [r.value, r.thread])).toEqual([
      [1, 0],
      [2, 1]
    ])
    await blocker
  })

  it('hands new jobs to the first threads only, after limit()', async () => {
    const pool = make({ size: 2 })
    await pool.whenStarted()
    pool.limit(1)
    const replies = await Promise.all(Array.from({ length: 4 }, (_, i) => pool.run({ type: 'echo', value: i, delayMs: 10 })))
    expect(replies.map((r) => r.thread)).toEqual([0, 0, 0, 0])
  })

  it('rejects what a dying thread held with its exit code and last stderr line, replaces it, then fails when none is left', async () => {
    const losses: ThreadLoss[] = []
    const pool = make({
      size: 1,
      perWorker: 2,
      restarts: 1,
      onLost: (loss) => losses.push(loss),
      fake: { banner: 'a banner while starting' }
    })
    await pool.whenStarted()
    const held = failures([pool.run({ type: 'echo', value: 1, delayMs: 500 }), pool.run({ type: 'exit', code: 3, say: 'out of patience' })])
    const [first, second] = await held
    expect(first).toBeInstanceOf(WorkerPoolError)
    expect(first).toMatchObject({ kind: 'lost', loss: { phase: 'work', cause: 'exit', reason: 'exited with code 3: out of patience' } })
    expect(second).toMatchObject({ kind: 'lost' })
    // The replacement serves.
    expect((await pool.run({ type: 'echo', value: 7 })).value).toBe(7)
    const last = failures([pool.run({ type: 'echo', value: 8, delayMs: 500 }), pool.run({ type: 'exit', code: 1 })])
    // The thread is full: this one waits in the queue.
    const queuedBehind = pool.run({ type: 'echo', value: 9 })
    expect(await last).toMatchObject([{ kind: 'lost' }, { kind: 'lost' }])
    // No restarts left: the pool has failed, and says why to waiting and later jobs alike.
    const [behind] = await failures([queuedBehind])
    expect(behind).toMatchObject({ kind: 'stopped', message: 'a worker thread stopped: exited with code 1' })
    await expect(pool.run({ type: 'echo', value: 9 })).rejects.toMatchObject({ kind: 'stopped' })
    expect(pool.failure?.kind).toBe('stopped')
    expect(losses.map((l) => l.reason)).toEqual(['exited with code 3: out of patience', 'exited with code 1'])
  })

  it('reports threads that cannot start: a throw, a broken report, a start function that throws', async () => {
    const thrown = make({ size: 2, fake: { mode: 'throw' } })
    await expect(thrown.whenStarted()).rejects.toMatchObject({ kind: 'stopped', message: /could not start: nothing to load \(fake\)/ })
    await expect(thrown.run({ type: 'echo', value: 1 })).rejects.toMatchObject({ kind: 'stopped' })

    const broken = make({ size: 1, fake: { mode: 'broken' }, describe: (loss) => `${loss.cause}: ${loss.reason}` })
    await expect(broken.whenStarted()).rejects.toThrow('broken: weights missing (fake)')

    const failing = make({
      start: () => {
        throw new Error('no worker file')
      }
    })
    expect(failing.add()).toBeNull()
    expect(failing.failure).toMatchObject({ loss: { cause: 'spawn', phase: 'start', reason: 'no worker file' } })

    // One of two failing: the pool goes on with the other and says which one failed.
    let n = 0
    const fine = startFakePoolWorker()
    const half = make({ size: 2, start: (): Worker => (n++ === 0 ? startFakePoolWorker({ mode: 'throw' })() : fine()) })
    const losses = await half.whenStarted()
    expect(losses).toMatchObject([{ phase: 'start', cause: 'error', reason: 'nothing to load (fake)' }])
    expect(half.live()).toHaveLength(1)
  })

  it('stops a thread that does not answer by its deadline, rejects its jobs as stuck, and keeps the others working', async () => {
    const losses: ThreadLoss[] = []
    const pool = make({ size: 2, onLost: (loss) => losses.push(loss) })
    await pool.whenStarted()
    const [stuck, other] = pool.live()
    const exited = new Promise<number>((resolve) => stuck.worker.once('exit', resolve))
    const job = failures([pool.run({ type: 'block' }, { on: stuck, deadline: { ms: 300, note: 'jobs take 0.01 s' } })])
    const [err] = await job
    expect(err).toMatchObject({ kind: 'lost', loss: { cause: 'stuck', phase: 'work' } })
    expect((err as WorkerPoolError).loss?.reason).toMatch(/^did not answer for 0\.\d+ s \(jobs take 0\.01 s\)$/)
    expect(await exited).toBe(1)
    expect(losses).toHaveLength(1)
    expect(pool.live()).toEqual([other])
    expect((await pool.run({ type: 'echo', value: 5 }, { deadline: { ms: 10_000 } })).thread).toBe(1)
  })

  it('gives a thread that only waits for others more time, and blames the one they wait for', async () => {
    const pool = make({ size: 2 })
    await pool.whenStarted()
    const [stuck, waiter] = pool.live()
    const asked: number[] = []
    // The waiter answers after 700 ms, past its 300 ms deadline, but says it is waiting meanwhile.
    const waited = pool.run(
      { type: 'echo', value: 1, delayMs: 700 },
      { on: waiter, deadline: { ms: 300, waiting: () => asked.push(1) > 0 } }
    )
    const [err] = await failures([pool.run({ type: 'block' }, { on: stuck, deadline: { ms: 300, waiting: () => false } })])
    expect(err).toMatchObject({ kind: 'lost', loss: { cause: 'stuck' } })
    expect((await waited).value).toBe(1)
    expect(asked.length).toBeGreaterThan(0)
    expect(pool.live()).toEqual([waiter])
  })

  it('rejects a cancelled job at once, tells the thread holding it, and frees its place when the thread answers', async () => {
    const pool = make({ size: 1 })
    await pool.whenStarted()
    const controller = new AbortController()
    const cancelled = failures([
      pool.run({ type: 'echo', value: 1, delayMs: 200 }, { signal: controller.signal, cancel: (id) => ({ type: 'cancel', id }) }),
      pool.run({ type: 'echo', value: 2 }, { signal: controller.signal })
    ])
    const next = pool.run({ type: 'echo', value: 3 })
    controller.abort()
    expect(await cancelled).toMatchObject([{ kind: 'cancelled' }, { kind: 'cancelled' }])
    const reply = await next
    // The thread heard of the cancel, and the queued cancelled job was never posted.
    expect([reply.value, reply.cancelled]).toEqual([3, [1]])
    await expect(pool.run({ type: 'echo', value: 4 }, { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' })
  })

  it('listens to a signal once however many jobs share it, and lets go of it with the last job (no MaxListenersExceededWarning)', async () => {
    const pool = make({ size: 2 })
    await pool.whenStarted()
    const controller = new AbortController()
    const listeners = (): number => getEventListeners(controller.signal, 'abort').length
    const jobs = Array.from({ length: 30 }, (_, value) => pool.run({ type: 'echo', value }, { signal: controller.signal }))
    expect(listeners()).toBe(1)
    expect((await Promise.all(jobs)).map((r) => r.value)).toEqual(Array.from({ length: 30 }, (_, value) => value))
    expect(listeners()).toBe(0)
    // Aborting still cancels every job still waiting on that one listener.
    const later = failures(
      Array.from({ length: 12 }, () => pool.run({ type: 'echo', value: 0, delayMs: 100 }, { signal: controller.signal }))
    )
    controller.abort()
    expect(await later).toEqual(Array.from({ length: 12 }, () => expect.objectContaining({ kind: 'cancelled' })))
    expect(listeners()).toBe(0)
  })

  it('on close rejects every job and ends every thread, letting it end itself when it has a close message', async () => {
    const exits: number[] = []
    const start = startFakePoolWorker()
    const pool = make({
      size: 2,
      closeMessage: { type: 'close' },
      start: () => {
        const worker = start()
        worker.on('exit', (code) => exits.push(code))
        return worker
      }
    })
    await pool.whenStarted()
    const jobs = failures(Array.from({ length: 4 }, (_, i) => pool.run({ type: 'echo', value: i, delayMs: 100 })))
    await pool.close()
    expect(await jobs).toMatchObject(Array.from({ length: 4 }, () => ({ kind: 'closed' })))
    expect(exits).toEqual([0, 0])
    await expect(pool.run({ type: 'echo', value: 9 })).rejects.toMatchObject({ kind: 'closed' })
  })

  it('never keeps a process alive once idle, closed or not', async () => {
    const child = path.resolve(__dirname, '../../../../test/support/pool-and-return.ts')
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', tsxLoader(), child], { timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)
      )
    )
    expect(JSON.parse(output)).toEqual({ values: [0, 1, 2, 3], idle: 2 })
  }, 90_000)
})
