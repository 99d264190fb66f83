/**
 * Child process for worker-pool.test.ts: runs a few jobs on one pool and starts another that is
 * never used, then returns without closing either. The process must end by itself.
 */
import { WorkerPool } from '../../src/main/engine/workers/worker-pool'
import { startFakePoolWorker, type FakeReply, type FakeRequest } from './fake-pool-worker'

async function main(): Promise<void> {
  const used = new WorkerPool<FakeRequest, FakeReply>({ size: 2, start: startFakePoolWorker() })
  const idle = new WorkerPool<FakeRequest, FakeReply>({ size: 2, start: startFakePoolWorker() })
  const replies = await Promise.all([0, 1, 2, 3].map((value) => used.run({ type: 'echo', value, delayMs: 20 })))
  await idle.whenStarted()
  process.stdout.write(JSON.stringify({ values: replies.map((r) => r.value), idle: idle.live().length }))
}

void main()
