/**
 * The face import's entry point: `createFaceFinder()` starts the worker pool once, then
 * `findFaces(photo, options, signal)` gives every face of a photo, aligned, with its landmarks
 * and attributes. With a cache, a photo seen before (same bytes, same detection options) skips
 * the nets and is only aligned again.
 */
import { createHash } from 'node:crypto'
import type { RawImage } from '../../../shared/images'
import type { FaceCache } from './face-cache'
import { detectionKey, resolveFaceOptions, sha256Hex, type FaceOptions } from './face-options'
import { FacePool, type FacePoolOptions } from './face-pool'
import type { DetectedFace, Expressions, PhotoFaces } from './face-types'
import type { PhotoSource } from './photo-faces'
import type { FaceWorkerStats } from './face-worker-protocol'
import type { Decoder } from './decode-photo'

/**
 * A photo: the bytes of an image file (with their sha256 hex if the caller has it already), or
 * upright pixels decoded elsewhere (1, 3 or 4 channels; alpha is ignored).
 */
export type PhotoInput =
  Uint8Array | { bytes: Uint8Array; hash?: string } | { pixels: Uint8Array; width: number; height: number; channels: 1 | 3 | 4 }

export interface FaceFinderOptions extends FacePoolOptions {
  /** Detections by content; shared across calls (see face-cache.ts). */
  cache?: FaceCache
  /** Which library decodes bytes (tests; 'auto' prefers sharp and falls back to @napi-rs/image). */
  decoder?: Decoder
}

export interface FaceFinder {
  /** Every face of the photo, aligned; rejects with code 'cancelled' when `signal` aborts. */
  findFaces(photo: PhotoInput, options?: Partial<FaceOptions>, signal?: AbortSignal): Promise<PhotoFaces>
  /**
   * Aligns faces whose landmarks are already known (kept in the dataset index, or corrected by
   * hand) without running a net: another size or framing of an imported dataset.
   */
  alignFaces(photo: PhotoInput, faces: DetectedFace[], options?: Partial<FaceOptions>, signal?: AbortSignal): Promise<PhotoFaces>
  /** 128-d embeddings of crops that are already aligned (e.g. dataset images or VAE samples). */
  describeAlignedFaces(images: RawImage[], signal?: AbortSignal): Promise<Float32Array[]>
  /** The expression net's probabilities for crops that are already aligned (e.g. decoded faces). */
  expressAlignedFaces(images: RawImage[], signal?: AbortSignal): Promise<Expressions[]>
  /** Resolves when every worker has loaded its nets (rejects if none could). */
  ready(): Promise<void>
  /** Per-worker tfjs memory and counters (leak checks). */
  stats(): Promise<FaceWorkerStats[]>
  /** Debug: one worker exits as if it had crashed. */
  crashOneWorker(): void
  readonly workers: number
  close(): Promise<void>
}

export function createFaceFinder(options: FaceFinderOptions = {}): FaceFinder {
  const pool = new FacePool(options)
  const { cache, decoder } = options
  return {
    workers: pool.size,
    async findFaces(photo, partial, signal) {
      const resolved = resolveFaceOptions(partial)
      const source = sourceOf(photo)
      const key = cache ? detectionKey(contentHash(photo), resolved) : null
      const known = key ? cache!.get(key) : undefined
      const reply = await pool.request({ type: 'find', source, options: resolved, known, decoder }, signal)
      if (reply.type !== 'found') throw new Error(`unexpected reply ${reply.type}`)
      if (key && !known) cache!.set(key, reply.detections)
      return reply.result
    },
    async alignFaces(photo, faces, partial, signal) {
      const resolved = resolveFaceOptions(partial)
      const known = { width: 0, height: 0, faces }
      const reply = await pool.request({ type: 'find', source: sourceOf(photo), options: resolved, known, decoder }, signal)
      if (reply.type !== 'found') throw new Error(`unexpected reply ${reply.type}`)
      return reply.result
    },
    async describeAlignedFaces(images, signal) {
      if (images.length === 0) return []
      const reply = await pool.request({ type: 'describe', images }, signal)
      if (reply.type !== 'described') throw new Error(`unexpected reply ${reply.type}`)
      return reply.descriptors
    },
    async expressAlignedFaces(images, signal) {
      if (images.length === 0) return []
      const reply = await pool.request({ type: 'express', images }, signal)
      if (reply.type !== 'expressed') throw new Error(`unexpected reply ${reply.type}`)
      return reply.expressions
    },
    ready: () => pool.whenReady(),
    stats: () => pool.stats(),
    crashOneWorker: () => pool.crashOne(),
    close: () => pool.close()
  }
}

/**
 * Embeddings of aligned crops with a finder of its own (one worker, closed afterwards); a caller
 * that already holds a finder should use its `describeAlignedFaces`.
 */
export async function describeAlignedFaces(images: RawImage[], signal?: AbortSignal): Promise<Float32Array[]> {
  const finder = createFaceFinder({ workers: 1 })
  try {
    return await finder.describeAlignedFaces(images, signal)
  } finally {
    await finder.close()
  }
}

function sourceOf(photo: PhotoInput): PhotoSource {
  if ('pixels' in photo) return { ...photo, pixels: wholeBuffer(photo.pixels) }
  return { bytes: wholeBuffer(photo instanceof Uint8Array ? photo : photo.bytes) }
}

/**
 * A view that owns its whole buffer. Posting a view to a thread copies the entire buffer behind
 * it, so a small slice of a big buffer (a Buffer from Node's pool, a subarray) is copied first.
 */
function wholeBuffer(view: Uint8Array): Uint8Array {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : new Uint8Array(view)
}

function contentHash(photo: PhotoInput): string {
  if (photo instanceof Uint8Array) return sha256Hex(photo)
  if ('bytes' in photo) return photo.hash ?? sha256Hex(photo.bytes)
  return createHash('sha256').update(`${photo.width}x${photo.height}x${photo.channels}:`).update(photo.pixels).digest('hex')
}
