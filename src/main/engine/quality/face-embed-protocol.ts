/** Messages between the engine and a face-embedding worker thread (see face-embedder.ts). */
import type { RawImage } from '../../../shared/images'

/** Length of a face descriptor from face-api's recognition net (a ResNet-34-like dlib port). */
export const faceEmbeddingDim = 128

export type ToFaceWorker = { type: 'embed'; id: number; images: RawImage[] }

export type FromFaceWorker =
  /** The net is loaded on the worker's own wasm backend. */
  | { type: 'ready'; backend: string }
  /** The worker cannot work (backend or weights failed to load); it ends after this. */
  | { type: 'broken'; message: string }
  /** `count` descriptors of `faceEmbeddingDim` floats, face after face; `ms` of compute. */
  | { type: 'embedded'; id: number; count: number; descriptors: Float32Array; ms: number }
  | { type: 'failed'; id: number; message: string }
