/**
 * Face descriptors for batches of face crops, computed in worker threads (face-embed-worker.ts),
 * each with its own wasm instance of face-api's recognition net. The engine's thread never loads
 * face-api: it keeps answering requests, and its tfjs keeps only the engine's kernels and model.
 *
 * With more than one worker, batches are cut into jobs that idle workers pull, so a metric over
 * hundreds of faces uses both cores when nothing else is running (pass `workers: 1` during training).
 */
import type { Worker } from 'node:worker_threads'
import type { RawImage } from '../../../shared/images'
import { faceEmbeddingDim, type FromFaceWorker, type ToFaceWorker } from './face-embed-protocol'
import { startWorker } from '../workers/start-worker'
import type { ThreadLoss } from '../workers/pool-thread'
import { WorkerPool } from '../workers/worker-pool'

export interface FaceEmbedderOptions {
  /** Worker threads (default 1). */
  workers?: number
  /** Faces per job handed to a worker (default 64). */
  jobSize?: number
  /** How to start one worker; replaceable so tests can make it fail. */
  startWorker?: () => Worker
}

export interface EmbedTiming {
  faces: number
  /** Compute time summed over the workers, so per face it is the cost on one core. */
  computeMs: number
  msPerFace: number
}

export class FaceEmbedder {
  static readonly dim = faceEmbeddingDim
  private faces = 0
  private computeMs = 0

  private constructor(
    private readonly pool: WorkerPool<ToFaceWorker, FromFaceWorker>,
    private readonly jobSize: number
  ) {}

  /** Worker threads running. */
  get workers(): number {
    return this.pool.live().length
  }

  /**
   * Hands new jobs to at most `count` of the workers (the others stay idle): one while training
   * runs, so measuring never takes more than one core from it; all of them when idle.
   */
  useWorkers(count: number): void {
    this.pool.limit(count)
  }

  /** Starts the workers and resolves once every one has loaded the net (about a second). */
  static async start(options: FaceEmbedderOptions = {}): Promise<FaceEmbedder> {
    const pool = new WorkerPool<ToFaceWorker, FromFaceWorker>({
      size: Math.max(1, Math.floor(options.workers ?? 1)),
      start: options.startWorker ?? startFaceEmbedWorker,
      describe
    })
    try {
      const [lost] = await pool.whenStarted()
      if (lost) throw new Error(describe(lost))
    } catch (err) {
      await pool.close()
      throw err
    }
    return new FaceEmbedder(pool, Math.max(1, options.jobSize ?? 64))
  }

  /** One 128-d descriptor per image, in order. Images: grey or RGB face crops, any square size ≥ 16. */
  async embed(images: readonly RawImage[]): Promise<Float32Array[]> {
    images.forEach(checkImage)
    const jobs: Promise<Float32Array>[] = []
    for (let i = 0; i < images.length; i += this.jobSize) jobs.push(this.job(images.slice(i, i + this.jobSize)))
    const rows: Float32Array[] = []
    for (const descriptors of await Promise.all(jobs)) {
      for (let k = 0; k < descriptors.length; k += faceEmbeddingDim) rows.push(descriptors.slice(k, k + faceEmbeddingDim))
    }
    return rows
  }

  get timing(): EmbedTiming {
    return { faces: this.faces, computeMs: this.computeMs, msPerFace: this.faces ? this.computeMs / this.faces : NaN }
  }

  /** Ends the workers; embeddings still waiting reject. */
  dispose(): Promise<void> {
    return this.pool.close()
  }

  private async job(images: RawImage[]): Promise<Float32Array> {
    const reply = await this.pool.run({ type: 'embed', images })
    if (reply.type === 'failed') throw new Error(reply.message)
    if (reply.type !== 'embedded') throw new Error(`unexpected reply '${reply.type}' from a face-embedding worker`)
    this.faces += reply.count
    this.computeMs += reply.ms
    return reply.descriptors
  }
}

function describe(loss: ThreadLoss): string {
  return loss.phase === 'start'
    ? `the face-embedding worker could not start: ${loss.reason}`
    : `a face-embedding worker stopped: ${loss.reason}`
}

function checkImage(image: RawImage, index: number): void {
  const { width, height, channels, pixels } = image
  if (channels !== 1 && channels !== 3) throw new Error(`image ${index} has ${channels} channels; faces must be grey (1) or RGB (3)`)
  if (width < 16 || height < 16) throw new Error(`image ${index} is ${width}×${height}; face crops must be at least 16 px`)
  if (pixels.length !== width * height * channels)
    throw new Error(`image ${index} has ${pixels.length} bytes, expected ${width}×${height}×${channels}`)
}

/** One embedding worker, from the build or the sources. */
export function startFaceEmbedWorker(): Worker {
  return startWorker('face-embed-worker')
}
