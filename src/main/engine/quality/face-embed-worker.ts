/**
 * A worker thread that turns face crops into 128-d face-recognition descriptors with
 * @vladmandic/face-api on its own tfjs + wasm instance. It never shares the engine thread's tfjs:
 * that one carries the engine's custom kernels and the user's model, and face-api would register
 * its own full tfjs there. Weights load from the npm package on disk; nothing is downloaded.
 */
import * as path from 'node:path'
import { parentPort } from 'node:worker_threads'
import type { RawImage } from '../../../shared/images'
import { faceEmbeddingDim, type FromFaceWorker, type ToFaceWorker } from './face-embed-protocol'
import { messageOf } from '../../../shared/errors'

/** The few parts of face-api (and the tfjs it bundles) used here. */
interface TensorLike {
  dispose(): void
}
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>
    ready(): Promise<void>
    getBackend(): string
    tidy<T>(fn: () => T): T
    tensor3d(values: Int32Array, shape: [number, number, number], dtype: 'int32'): TensorLike
    tile(x: TensorLike, reps: number[]): TensorLike
  }
  nets: {
    faceRecognitionNet: {
      loadFromDisk(folder: string): Promise<void>
      computeFaceDescriptor(input: TensorLike[]): Promise<Float32Array | Float32Array[]>
    }
  }
}

const port = parentPort
if (!port) throw new Error('face-embed-worker.ts runs as a worker thread only')

/** Faces per forward pass: larger batches stopped paying off at ~32 (45 ms/face vs 70 at 16). */
const chunk = 32

let faceapi: FaceApi

async function load(): Promise<string> {
  faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi
  const { setWasmPaths } = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void }
  setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep)
  if (!(await faceapi.tf.setBackend('wasm'))) throw new Error('the wasm backend did not start in the face-embedding thread')
  await faceapi.tf.ready()
  await faceapi.nets.faceRecognitionNet.loadFromDisk(path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model'))
  // The first pass allocates and sets up every kernel (~0.3 s): done here, so it counts as
  // start-up and the per-face timing describes steady work.
  await embed([{ width: 32, height: 32, channels: 1, pixels: new Uint8Array(32 * 32) }])
  return faceapi.tf.getBackend()
}

/** An int32 [h, w, 3] tensor, as face-api expects from decoded images; grey is repeated thrice. */
function toTensor(image: RawImage): TensorLike {
  const { tf } = faceapi
  return tf.tidy(() => {
    const t = tf.tensor3d(Int32Array.from(image.pixels), [image.height, image.width, image.channels], 'int32')
    return image.channels === 1 ? tf.tile(t, [1, 1, 3]) : t
  })
}

async function embed(images: RawImage[]): Promise<Float32Array> {
  const out = new Float32Array(images.length * faceEmbeddingDim)
  for (let i = 0; i < images.length; i += chunk) {
    const tensors = images.slice(i, i + chunk).map(toTensor)
    try {
      const result = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensors)
      const rows = Array.isArray(result) ? result : [result]
      rows.forEach((row, j) => out.set(row, (i + j) * faceEmbeddingDim))
    } finally {
      tensors.forEach((t) => t.dispose())
    }
  }
  return out
}

// One request at a time, in arrival order: the handler awaits, so requests are chained.
let queue = Promise.resolve()
const started = load()

port.on('message', (message: ToFaceWorker) => {
  queue = queue.then(async () => {
    let reply: FromFaceWorker
    try {
      await started
      const t0 = performance.now()
      const descriptors = await embed(message.images)
      reply = { type: 'embedded', id: message.id, count: message.images.length, descriptors, ms: performance.now() - t0 }
    } catch (err) {
      reply = { type: 'failed', id: message.id, message: messageOf(err) }
    }
    port.postMessage(reply, reply.type === 'embedded' ? [reply.descriptors.buffer as ArrayBuffer] : [])
  })
})

started.then(
  (backend) => port.postMessage({ type: 'ready', backend } satisfies FromFaceWorker),
  (err: unknown) => port.postMessage({ type: 'broken', message: messageOf(err) } satisfies FromFaceWorker)
)
