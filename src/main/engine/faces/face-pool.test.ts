import { afterEach, describe, expect, it } from 'vitest'
import { type Worker } from 'node:worker_threads'
import { StudioError } from '../../../shared/errors'
import { resolveFaceOptions } from './face-options'
import { FacePool } from './face-pool'
import { startFakeFaceWorker } from '../../../../test/fixtures/faces/fake-face-worker'

const options = resolveFaceOptions()
const find = (tag: number) => ({ type: 'find' as const, source: { bytes: new Uint8Array([tag]) }, options })
const tagOf = (reply: Awaited<ReturnType<FacePool['request']>>): string => (reply.type === 'found' ? (reply.result.reason ?? '') : '')
/** Errors of promises expected to fail (handled at once, so none is ever unhandled). */
const failures = (requests: Promise<unknown>[]): Promise<unknown[]> =>
  Promise.all(
    requests.map((r) =>
      r.then(
        () => new Error('did not fail'),
        (err: unknown) => err
      )
    )
  )
const heldOf = (reply: Awaited<ReturnType<FacePool['request']>>): number => (reply.type === 'found' ? reply.result.width : -1)

describe('FacePool', () => {
  const pools: FacePool[] = []
  const make = (...args: ConstructorParameters<typeof FacePool>): FacePool => {
    const pool = new FacePool(...args)
    pools.push(pool)
    return pool
  }
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()))
  })

  it('answers every request, in any order of completion, and never gives a worker more than it may hold', async () => {
    const pool = make({ workers: 2, perWorker: 2, startWorker: startFakeFaceWorker({ delayMs: 15 }) })
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.request(find(i))))
    expect(replies.map(tagOf)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)))
    expect(Math.max(...replies.map(heldOf))).toBeLessThanOrEqual(2)
    const stats = await pool.stats()
    expect(stats).toHaveLength(2)
    // Both workers took part.
    expect(stats.every((s) => s.photosAnalysed > 0)).toBe(true)
  })

  it('cancels queued and running requests at once with code "cancelled"', async () => {
    // The worker would keep its photo for ten minutes: only a cancel that does not wait for it settles.
    const pool = make({ workers: 1, perWorker: 1, startWorker: startFakeFaceWorker({ delayMs: 600_000 }) })
    await pool.whenReady()
    const controller = new AbortController()
    const doomed = failures([
      pool.request(find(1), controller.signal),
      pool.request(find(2), controller.signal),
      pool.request(find(3), controller.signal)
    ])
    controller.abort()
    for (const err of await doomed) expect(err).toMatchObject({ code: 'cancelled' })
    await expect(pool.request(find(5), controller.signal)).rejects.toBeInstanceOf(StudioError)
  })

  it('goes on with the rest after a cancel, having started only the request already inside the worker', async () => {
    const pool = make({ workers: 1, perWorker: 1, startWorker: startFakeFaceWorker({ delayMs: 100 }) })
    await pool.whenReady()
    const controller = new AbortController()
    const doomed = failures([pool.request(find(1), controller.signal), pool.request(find(2), controller.signal)])
    const kept = pool.request(find(4))
    controller.abort()
    for (const err of await doomed) expect(err).toMatchObject({ code: 'cancelled' })
    expect(tagOf(await kept)).toBe('4')
    expect((await pool.stats())[0].photosAnalysed).toBe(1)
  })

  it('fails what a dying worker held with a clear error, replaces it, and keeps serving', async () => {
    const pool = make({ workers: 1, perWorker: 2, startWorker: startFakeFaceWorker({ delayMs: 300 }) })
    await pool.whenReady()
    const held = failures([pool.request(find(1)), pool.request(find(2))])
    const queued = pool.request(find(3))
    await new Promise((r) => setTimeout(r, 50))
    pool.crashOne(3)
    for (const err of await held) expect(String(err)).toMatch(/a face worker exited with code 3 while working on this request/)
    expect(tagOf(await queued)).toBe('3')
    expect(tagOf(await pool.request(find(4)))).toBe('4')
  })

  it('stops replacing workers after its restart budget and then fails every request clearly', async () => {
    const pool = make({ workers: 1, maxRestarts: 1, startWorker: startFakeFaceWorker({ delayMs: 100 }) })
    await pool.whenReady()
    const first = failures([pool.request(find(1))])
    await new Promise((r) => setTimeout(r, 20))
    pool.crashOne()
    expect(String((await first)[0])).toMatch(/exited/)
    await pool.whenReady()
    const second = failures([pool.request(find(2))])
    await new Promise((r) => setTimeout(r, 20))
    pool.crashOne()
    expect(String((await second)[0])).toMatch(/exited/)
    await expect(pool.request(find(3))).rejects.toThrow(/face detection stopped: a face worker exited with code 1/)
  })

  it('reports a worker that cannot start (nets failing to load) to every waiting request', async () => {
    const pool = make({ workers: 2, startWorker: startFakeFaceWorker({ mode: 'throw' }) })
    const waiting = failures([pool.request(find(1))])
    expect(String((await waiting)[0])).toMatch(
      /face detection stopped: a face worker could not start \(failed: nets failed to load \(fake\)\)/
    )
    await expect(pool.request(find(2))).rejects.toMatchObject({ code: 'internal' })
    await expect(pool.whenReady()).rejects.toThrow(/could not start/)
  })

  it('reports a start function that throws', async () => {
    const pool = make({
      workers: 1,
      startWorker: () => {
        throw new Error('no worker file')
      }
    })
    await expect(pool.request(find(1))).rejects.toThrow(/could not start a face worker: no worker file/)
  })

  it('rejects waiting requests on close and ends its threads', async () => {
    let started: Worker[] = []
    const start = startFakeFaceWorker({ delayMs: 500 })
    const pool = make({
      workers: 2,
      startWorker: () => {
        const worker = start()
        started.push(worker)
        return worker
      }
    })
    const pending = Array.from({ length: 6 }, (_, i) => pool.request(find(i)))
    const outcomes = failures(pending)
    await new Promise((r) => setTimeout(r, 50))
    const exits = started.map((w) => new Promise((r) => w.once('exit', r)))
    await pool.close()
    for (const err of await outcomes) expect(err).toMatchObject({ code: 'cancelled' })
    await Promise.all(exits)
    await expect(pool.request(find(9))).rejects.toThrow(/closed/)
    started = []
  })
})
