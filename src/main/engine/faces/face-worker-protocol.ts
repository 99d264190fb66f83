/** Messages between a face pool and its worker threads (see face-pool.ts, face-worker.ts). */
import type { RawImage } from '../../../shared/images'
import type { PhotoWork } from './photo-faces'
import type { Expressions, PhotoDetections, PhotoFaces } from './face-types'

export type ToFaceWorker =
  | ({ type: 'find'; id: number } & PhotoWork)
  /** 128-d descriptors of crops already aligned (any size; resized to the net's 150 px). */
  | { type: 'describe'; id: number; images: RawImage[] }
  /** The expression net's probabilities for crops already aligned (e.g. what a VAE decoded). */
  | { type: 'express'; id: number; images: RawImage[] }
  /** Drop this request if it has not finished; the worker answers `cancelled` (or nothing, if done). */
  | { type: 'cancel'; id: number }
  /** Debug: tfjs memory and work counters, for leak checks in tests. */
  | { type: 'stats'; id: number }
  /** Debug: end the thread as a crash would (tests of the pool's recovery). */
  | { type: 'exit'; code: number }

export interface FaceWorkerStats {
  numTensors: number
  numBytes: number
  /** Size of the worker's wasm memory (it grows to the largest photo's need and never shrinks). */
  wasmHeapBytes: number
  /** Photos whose nets ran (cache hits and cancelled photos do not count). */
  photosAnalysed: number
  photosAligned: number
}

export type FromFaceWorker =
  | { type: 'ready'; backend: string }
  | { type: 'found'; id: number; result: PhotoFaces; detections: PhotoDetections }
  | { type: 'described'; id: number; descriptors: Float32Array[] }
  | { type: 'expressed'; id: number; expressions: Expressions[] }
  | { type: 'stats'; id: number; stats: FaceWorkerStats }
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string }
