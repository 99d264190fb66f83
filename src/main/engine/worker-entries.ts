/**
 * The engine's worker threads, each built as an entry of its own beside the engine bundle, where
 * its starter looks for `<name>.js`. The app's build and the tests' bundled engine both read this
 * list, so a new worker cannot be missing from one of them.
 */
export const engineWorkerEntries: Record<string, string> = {
  'decode-worker': 'inference/decode-worker.ts',
  'face-worker': 'faces/face-worker.ts',
  'face-embed-worker': 'quality/face-embed-worker.ts',
  'train-worker': 'train/parallel/train-worker.ts'
}
