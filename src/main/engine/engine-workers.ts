/**
 * The engine's worker threads. Each is built as an entry of its own beside the engine bundle
 * (the app's build and the tests' bundled engine both read `engineWorkerEntries`, so a new worker
 * cannot be missing from one of them); from the sources (vitest, tsx) it boots through tsx.
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { Worker, type WorkerOptions } from 'node:worker_threads'

export const engineWorkerEntries = {
  'decode-worker': 'inference/decode-worker.ts',
  'face-worker': 'faces/face-worker.ts',
  'face-embed-worker': 'quality/face-embed-worker.ts',
  'train-worker': 'train/parallel/train-worker.ts'
} as const

export type EngineWorkerName = keyof typeof engineWorkerEntries

/** Starts `name`: `<name>.js` beside this code (or one folder up from a shared chunk), else its TypeScript source. */
export function startEngineWorker(name: EngineWorkerName, options: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  const built = [path.join(__dirname, `${name}.js`), path.join(__dirname, '..', `${name}.js`)].find((file) => existsSync(file))
  if (built) return new Worker(built, options)
  const source = path.join(__dirname, engineWorkerEntries[name])
  if (!existsSync(source)) throw new Error(`${name}.js is missing beside ${__dirname} (is it an entry of the build?)`)
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)})`
  return new Worker(boot, { ...options, eval: true })
}
