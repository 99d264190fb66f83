/** Starts one of the engine's worker threads from the build, or from its TypeScript source through tsx. */
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { findEntry, tsxBoot } from './entry-point'
import { workerEntries, type WorkerName } from './worker-entries'

export type ThreadOptions = Pick<WorkerOptions, 'workerData'>

export function startWorker(name: WorkerName, options: ThreadOptions = {}): Worker {
  const entry = findEntry(name, workerEntries[name])
  return entry.built ? new Worker(entry.file, options) : startSourceWorker(entry.file, options)
}

/** A thread running a TypeScript file (an absolute path) through tsx: the sources' way, and tests' own workers. */
export function startSourceWorker(file: string, options: ThreadOptions = {}): Worker {
  return new Worker(tsxBoot(file), { ...options, eval: true })
}
