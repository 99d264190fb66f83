/**
 * The engine's worker threads: each is built as an entry of its own beside the engine bundle.
 * The app's build (`electron.vite.config.ts`) and the tests' bundled engine both read this list,
 * so a new worker cannot be missing from one of them. Paths are under `src/main/engine/`.
 */
export const workerEntries = {
  'decode-worker': 'inference/decode-worker.ts',
  'face-worker': 'faces/face-worker.ts',
  'face-embed-worker': 'quality/face-embed-worker.ts',
  'train-worker': 'train/parallel/train-worker.ts'
} as const

export type WorkerName = keyof typeof workerEntries
