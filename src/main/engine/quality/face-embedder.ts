/**
 * Face descriptors for batches of face crops, computed in worker threads (face-embed-worker.ts),
 * each with its own wasm instance of face-api's recognition net. The engine's thread never loads
 * face-api: it keeps answering requests, and its tfjs keeps only the engine's kernels and model.
 *
 * With more than one worker, batches are cut into jobs that idle workers pull, so a metric over
 * hundreds of faces uses both cores when nothing else is running (pass `workers: 1` during training).
 */
import { type Worker } from 'node:worker_threads'
import type { RawImage } from '../../../shared/images'
import { faceEmbeddingDim, type FromFaceWorker, type ToFaceWorker } from './face-embed-protocol'
import { startWorker } from '../workers/start-worker'

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

interface Job {
  images: RawImage[]
  resolve: (descriptors: Float32Array) => void
  reject: (err: Error) => void
}

interface Slot {
  worker: Worker
  job: Job | null
  alive: boolean
}

export class FaceEmbedder {
  static readonly dim = faceEmbeddingDim
  private readonly queue: Job[] = []
  private nextId = 1
  private faces = 0
  private computeMs = 0
  private active: number

  private constructor(
    private readonly slots: Slot[],
    private readonly jobSize: number
  ) {
    this.active = slots.length
  }

  /** Worker threads started. */
  get workers(): number {
    return this.slots.length
  }

  /**
   * Hands new jobs to at most `count` of the workers (the others stay idle): one while training
   * runs, so measuring never takes more than one core from it; all of them when idle.
   */
  useWorkers(count: number): void {
    this.active = Math.max(1, Math.min(this.slots.length, Math.floor(count)))
    this.dispatch()
  }

  /** Starts the workers and resolves once every one has loaded the net (about a second). */
  static async start(options: FaceEmbedderOptions = {}): Promise<FaceEmbedder> {
    const count = Math.max(1, Math.floor(options.workers ?? 1))
    const starter = options.startWorker ?? startFaceEmbedWorker
    const slots: Slot[] = []
    try {
      for (let i = 0; i < count; i++) slots.push({ worker: starter(), job: null, alive: true })
      await Promise.all(slots.map((slot) => whenReady(slot.worker)))
    } catch (err) {
      await Promise.all(slots.map((slot) => slot.worker.terminate()))
      throw err
    }
    const embedder = new FaceEmbedder(slots, Math.max(1, options.jobSize ?? 64))
    for (const slot of slots) embedder.listen(slot)
    return embedder
  }

  /** One 128-d descriptor per image, in order. Images: grey or RGB face crops, any square size ≥ 16. */
  async embed(images: readonly RawImage[]): Promise<Float32Array[]> {
    images.forEach(checkImage)
    const jobs: Promise<Float32Array>[] = []
    for (let i = 0; i < images.length; i += this.jobSize) {
      const part = images.slice(i, i + this.jobSize)
      jobs.push(new Promise<Float32Array>((resolve, reject) => this.queue.push({ images: part, resolve, reject })))
    }
    this.dispatch()
    const rows: Float32Array[] = []
    for (const descriptors of await Promise.all(jobs)) {
      for (let k = 0; k < descriptors.length; k += faceEmbeddingDim) rows.push(descriptors.slice(k, k + faceEmbeddingDim))
    }
    return rows
  }

  get timing(): EmbedTiming {
    return { faces: this.faces, computeMs: this.computeMs, msPerFace: this.faces ? this.computeMs / this.faces : NaN }
  }

  async dispose(): Promise<void> {
    const err = new Error('the face embedder was closed')
    for (const job of this.queue.splice(0)) job.reject(err)
    await Promise.all(
      this.slots.map((slot) => {
        slot.job?.reject(err)
        slot.job = null
        slot.alive = false
        return slot.worker.terminate()
      })
    )
  }

  private listen(slot: Slot): void {
    const fail = (err: Error): void => {
      if (!slot.alive) return
      slot.alive = false
      slot.job?.reject(err)
      slot.job = null
      if (!this.slots.some((s) => s.alive)) for (const job of this.queue.splice(0)) job.reject(err)
      this.dispatch()
    }
    slot.worker.on('message', (message: FromFaceWorker) => {
      const job = slot.job
      slot.job = null
      if (message.type === 'embedded') {
        this.faces += message.count
        this.computeMs += message.ms
        job?.resolve(message.descriptors)
      } else if (message.type === 'failed') {
        job?.reject(new Error(message.message))
      } else if (message.type === 'broken') {
        fail(new Error(message.message))
      }
      this.dispatch()
    })
    slot.worker.on('error', (err) => fail(err))
    slot.worker.on('exit', (code) => fail(new Error(`a face-embedding worker exited with code ${code}`)))
    slot.worker.unref()
  }

  /** Hands queued jobs to idle workers; a worker is referenced only while it has work. */
  private dispatch(): void {
    this.slots.forEach((slot, i) => {
      if (!slot.alive) return
      if (!slot.job && this.queue.length > 0 && (i < this.active || !this.slots.slice(0, this.active).some((s) => s.alive))) {
        const job = this.queue.shift()!
        slot.job = job
        const message: ToFaceWorker = { type: 'embed', id: this.nextId++, images: job.images }
        slot.worker.postMessage(message)
      }
      if (slot.job) slot.worker.ref()
      else slot.worker.unref()
    })
  }
}

function checkImage(image: RawImage, index: number): void {
  const { width, height, channels, pixels } = image
  if (channels !== 1 && channels !== 3) throw new Error(`image ${index} has ${channels} channels; faces must be grey (1) or RGB (3)`)
  if (width < 16 || height < 16) throw new Error(`image ${index} is ${width}×${height}; face crops must be at least 16 px`)
  if (pixels.length !== width * height * channels)
    throw new Error(`image ${index} has ${pixels.length} bytes, expected ${width}×${height}×${channels}`)
}

function whenReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromFaceWorker): void => {
      if (message.type !== 'ready' && message.type !== 'broken') return
      cleanup()
      if (message.type === 'ready') resolve()
      else reject(new Error(`the face-embedding worker could not start: ${message.message}`))
    }
    const onError = (err: Error): void => {
      cleanup()
      reject(err)
    }
    const onExit = (code: number): void => {
      cleanup()
      reject(new Error(`the face-embedding worker exited with code ${code} while starting`))
    }
    const cleanup = (): void => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
  })
}

/** One embedding worker, from the build or the sources. */
export function startFaceEmbedWorker(): Worker {
  return startWorker('face-embed-worker')
}
