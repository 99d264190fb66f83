/**
 * Decodes image grids on two cores. tfjs's wasm backend runs on one thread in Node (its threaded
 * build is disabled there), so the engine's thread decodes half of a grid while a worker thread
 * with its own wasm instance and a copy of the decoder's weights decodes the other half.
 *
 * Only worth it for grids: a single canvas image stays on the engine's thread, where the message
 * round trip would cost more than it saves. Until the worker has started (about a second), or if
 * it ever fails, everything is decoded on the engine's thread, so a grid is never lost to it.
 */
import type { Worker } from 'node:worker_threads'
import * as tf from '../tf'
import type { RawImage } from '../../../shared/images'
import type { VaeModel } from '../model/vae-model'
import type { FromDecodeWorker, ToDecodeWorker } from './decode-worker-protocol'
import { checkCodes, decodeCodes } from './inference'
import { startWorker } from '../workers/start-worker'
import type { PoolThread, ThreadLoss } from '../workers/pool-thread'
import { WorkerPool } from '../workers/worker-pool'

/** Grids smaller than this are decoded on the engine's thread alone. */
export const minParallelCodes = 8

/** Half a grid takes well under a second: a worker silent for this long is stuck, and the engine decodes alone from then on. */
const stuckAfterMs = 60_000

type DecodeRequest = Extract<ToDecodeWorker, { type: 'decode' }>

export class ParallelDecoder {
  private pool: WorkerPool<DecodeRequest, FromDecodeWorker> | null = null
  private disposed = false
  /** The decoder weights the worker holds, by tensor identity (an optimiser step replaces them). */
  private sent: object[] = []
  private decodedByWorker = 0

  /**
   * @param startWorker how to start the worker thread; replaceable so tests can make it fail.
   */
  constructor(private readonly startWorker: () => Worker = startDecodeWorker) {}

  async decode(model: VaeModel, z: number[][]): Promise<RawImage[]> {
    if (z.length < minParallelCodes || !this.useful()) return decodeCodes(model, z)
    checkCodes(model, z)
    const [thread] = this.start()?.live() ?? []
    if (!thread) return decodeCodes(model, z)
    const split = Math.ceil(z.length / 2)
    let remote: Promise<RawImage[] | null>
    try {
      this.sync(thread, model)
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
   * Awaiting it keeps the process alive while the thread starts; a start nobody awaits does not.
   */
  async warmUp(): Promise<boolean> {
    const pool = this.useful() ? this.start() : null
    if (!pool) return false
    return pool.whenStarted().then(
      () => pool.live().length > 0,
      () => false
    )
  }

  /** Ends the worker thread; later grids are decoded on the engine's thread. */
  async dispose(): Promise<void> {
    this.disposed = true
    await this.pool?.close()
  }

  /** Native tfjs-node already uses every core, and the cpu backend is too slow to matter. */
  private useful(): boolean {
    return tf.getBackend() === 'wasm'
  }

  /** The one-thread pool, started at the first call; never restarted once it failed. */
  private start(): WorkerPool<DecodeRequest, FromDecodeWorker> | null {
    if (this.disposed) return null
    this.pool ??= new WorkerPool({ size: 1, start: this.startWorker, describe, onLost: (loss) => report(loss) })
    return this.pool
  }

  private sync(thread: PoolThread, model: VaeModel): void {
    const variables = model.decoder.weights.map((w) => w.read())
    if (variables.length === this.sent.length && variables.every((v, i) => v.dataId === this.sent[i])) return
    // Copied, not transferred: a backend may hand out views of its own memory.
    const weights = variables.map((v) => ({ shape: [...v.shape], data: v.dataSync() as Float32Array }))
    this.pool!.post(thread, { type: 'decoder', config: model.config, weights } satisfies ToDecodeWorker)
    this.sent = variables.map((v) => v.dataId)
  }

  private async request(z: number[][], latentDim: number): Promise<RawImage[]> {
    const flat = new Float32Array(z.length * latentDim)
    z.forEach((row, i) => flat.set(row, i * latentDim))
    const reply = await this.pool!.run(
      { type: 'decode', z: flat, count: z.length },
      { transfer: [flat.buffer], deadline: { ms: stuckAfterMs } }
    )
    if (reply.type !== 'decoded') throw new Error(reply.type === 'failed' ? reply.message : `unexpected reply '${reply.type}'`)
    this.decodedByWorker += reply.images.length
    return reply.images
  }
}

function describe(loss: ThreadLoss): string {
  return loss.cause === 'exit' || loss.cause === 'stuck' ? `the decode worker ${loss.reason}` : loss.reason
}

function report(loss: ThreadLoss): void {
  process.stderr.write(`decoding on one core only: ${describe(loss)}\n`)
}

function startDecodeWorker(): Worker {
  return startWorker('decode-worker')
}
