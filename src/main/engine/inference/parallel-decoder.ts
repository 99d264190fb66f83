/**
 * Decodes image grids on two cores. tfjs's wasm backend runs on one thread in Node (its threaded
 * build is disabled there), so the engine's thread decodes half of a grid while a worker thread
 * with its own wasm instance and a copy of the decoder's weights decodes the other half.
 *
 * Only worth it for grids: a single canvas image stays on the engine's thread, where the message
 * round trip would cost more than it saves. Until the worker has started (about a second), or if
 * it ever fails, everything is decoded on the engine's thread, so a grid is never lost to it.
 */
import { type Worker } from 'node:worker_threads'
import * as tf from '../tf'
import type { RawImage } from '../../../shared/images'
import type { VaeModel } from '../model/vae-model'
import type { FromDecodeWorker, ToDecodeWorker } from './decode-worker-protocol'
import { checkCodes, decodeCodes } from './inference'
import { startWorker } from '../workers/start-worker'
import { messageOf } from '../../../shared/errors'

/** Grids smaller than this are decoded on the engine's thread alone. */
export const minParallelCodes = 8

interface Pending {
  resolve: (images: RawImage[]) => void
  reject: (err: Error) => void
}

export class ParallelDecoder {
  private worker: Worker | null = null
  private state: 'off' | 'starting' | 'ready' | 'failed' = 'off'
  private pending = new Map<number, Pending>()
  private nextId = 1
  /** The decoder weights the worker holds, by tensor identity (an optimiser step replaces them). */
  private sent: object[] = []
  private settled: (ready: boolean) => void = () => {}
  private readonly readiness = new Promise<boolean>((resolve) => (this.settled = resolve))
  /** Someone awaits `warmUp()`: the thread's start-up must keep the process alive. */
  private awaitingStart = false
  private decodedByWorker = 0

  /**
   * @param startWorker how to start the worker thread; replaceable so tests can make it fail.
   */
  constructor(private readonly startWorker: () => Worker = startDecodeWorker) {}

  async decode(model: VaeModel, z: number[][]): Promise<RawImage[]> {
    if (z.length < minParallelCodes || !this.useful()) return decodeCodes(model, z)
    checkCodes(model, z)
    this.start()
    if (this.state !== 'ready') return decodeCodes(model, z)
    const split = Math.ceil(z.length / 2)
    let remote: Promise<RawImage[] | null>
    try {
      this.sync(model)
      // Settled to null on failure before the local half runs, so a failure while this thread is
      // busy is never an unhandled rejection.
      remote = this.request(z.slice(split), model.config.latentDim).catch(() => null)
    } catch {
      return decodeCodes(model, z)
    }
    const local = decodeCodes(model, z.slice(0, split))
    const rest = (await remote) ?? decodeCodes(model, z.slice(split))
    return [...local, ...rest]
  }

  /** Images the worker has decoded; tests read it to tell two threads from a silent fallback. */
  get remoteImages(): number {
    return this.decodedByWorker
  }

  /**
   * Starts the worker now rather than at the first grid; resolves to whether it is ready to take
   * work (false: it failed, or the backend is not wasm, and grids are decoded on this thread).
   */
  warmUp(): Promise<boolean> {
    if (!this.useful()) return Promise.resolve(false)
    this.awaitingStart = true
    this.start()
    this.holdWhileBusy()
    return this.readiness
  }

  /** Ends the worker thread; later grids are decoded on the engine's thread. */
  async dispose(): Promise<void> {
    const worker = this.worker
    this.worker = null
    this.state = 'failed'
    this.settled(false)
    if (worker) await worker.terminate()
  }

  /** Native tfjs-node already uses every core, and the cpu backend is too slow to matter. */
  private useful(): boolean {
    return tf.getBackend() === 'wasm'
  }

  private start(): void {
    if (this.state !== 'off') return
    this.state = 'starting'
    let worker: Worker
    try {
      worker = this.startWorker()
    } catch (err) {
      this.fail(err)
      return
    }
    this.worker = worker
    worker.on('message', (message: FromDecodeWorker) => this.receive(message))
    worker.on('error', (err) => this.fail(err))
    worker.on('exit', (code) => this.fail(new Error(`the decode worker exited with code ${code}`)))
    this.holdWhileBusy()
  }

  /**
   * Unreferenced while idle (set after the listeners: adding one references the thread again), so
   * it never keeps the engine process alive once its host has gone; referenced while a request,
   * or an awaited start-up, is outstanding, so awaiting it does not end the process early.
   */
  private holdWhileBusy(): void {
    if (!this.worker) return
    if (this.pending.size > 0 || (this.state === 'starting' && this.awaitingStart)) this.worker.ref()
    else this.worker.unref()
  }

  private receive(message: FromDecodeWorker): void {
    if (message.type === 'ready') {
      if (this.state === 'starting') this.state = 'ready'
      this.settled(this.state === 'ready')
    } else {
      const pending = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.type === 'decoded') {
        this.decodedByWorker += message.images.length
        pending?.resolve(message.images)
      } else {
        pending?.reject(new Error(message.message))
      }
    }
    this.holdWhileBusy()
  }

  private fail(err: unknown): void {
    if (this.state !== 'failed') {
      process.stderr.write(`decoding on one core only: ${messageOf(err)}\n`)
    }
    this.state = 'failed'
    this.worker = null
    this.settled(false)
    for (const { reject } of this.pending.values()) reject(err instanceof Error ? err : new Error(String(err)))
    this.pending.clear()
  }

  private sync(model: VaeModel): void {
    const variables = model.decoder.weights.map((w) => w.read())
    if (variables.length === this.sent.length && variables.every((v, i) => v.dataId === this.sent[i])) return
    // Copied, not transferred: a backend may hand out views of its own memory.
    const weights = variables.map((v) => ({ shape: [...v.shape], data: v.dataSync() as Float32Array }))
    this.post({ type: 'decoder', config: model.config, weights }, [])
    this.sent = variables.map((v) => v.dataId)
  }

  private request(z: number[][], latentDim: number): Promise<RawImage[]> {
    const id = this.nextId++
    const flat = new Float32Array(z.length * latentDim)
    z.forEach((row, i) => flat.set(row, i * latentDim))
    return new Promise<RawImage[]>((resolve, reject) => {
      this.post({ type: 'decode', id, z: flat, count: z.length }, [flat.buffer])
      this.pending.set(id, { resolve, reject })
      this.holdWhileBusy()
    })
  }

  private post(message: ToDecodeWorker, transfer: ArrayBuffer[]): void {
    if (!this.worker) throw new Error('the decode worker is not running')
    this.worker.postMessage(message, transfer)
  }
}

function startDecodeWorker(): Worker {
  return startWorker('decode-worker')
}
