/**
 * A face worker thread: face-api on its own wasm instance (one core), taking photos from its
 * pool. A photo's decode starts as soon as it arrives (libvips works on libuv's threads) while
 * the previous photo is still in the nets, so the pool keeps two photos in each worker.
 */
import { parentPort } from 'node:worker_threads'
import type { RawImage } from '../../../shared/images'
import { loadFaceNets, type LoadedNets } from './face-nets'
import type { FaceWorkerStats, FromFaceWorker, ToFaceWorker } from './face-worker-protocol'
import type { DecodedPhoto } from './decode-photo'
import { expressionNames, type ExpressionName, type Expressions } from './face-types'
import { decodeSource, findInPhoto, PhotoCancelled } from './photo-faces'
import { errMessage } from '../image/error-message'

const port = parentPort
if (!port) throw new Error('face-worker.ts runs as a worker thread only')

const cancelled = new Set<number>()
const counters = { photosAnalysed: 0, photosAligned: 0 }
/** Work runs one request at a time, in arrival order. */
let queue: Promise<void> = Promise.resolve()

function post(message: FromFaceWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer)
}

function enqueue(task: () => Promise<void>): void {
  queue = queue.then(task, task)
}

async function find(
  nets: LoadedNets,
  message: Extract<ToFaceWorker, { type: 'find' }>,
  decoding: Promise<DecodedPhoto | { reason: string }>
): Promise<void> {
  const { id } = message
  const check = (): void => {
    if (cancelled.has(id)) throw new PhotoCancelled()
  }
  try {
    check()
    const { result, detections } = await findInPhoto(nets, message, check, decoding)
    if (!message.known && !detections.unreadable) counters.photosAnalysed++
    counters.photosAligned++
    post(
      { type: 'found', id, result, detections },
      result.faces.map((face) => face.image.pixels.buffer as ArrayBuffer)
    )
  } catch (err) {
    post(err instanceof PhotoCancelled ? { type: 'cancelled', id } : { type: 'failed', id, message: errMessage(err) })
  } finally {
    cancelled.delete(id)
  }
}

/** Aligned crops as the square RGB input of a net `side` pixels wide (block-averaged first when much bigger). */
function netCrops(nets: LoadedNets, images: RawImage[], side: number) {
  const { tf } = nets
  return images.map((image) =>
    tf.tidy(() => {
      let t = tf.tensor3d(Float32Array.from(image.pixels), [image.height, image.width, image.channels])
      if (image.channels === 1) t = tf.tile(t, [1, 1, 3])
      const k = Math.floor(Math.max(image.width, image.height) / side)
      if (k >= 2) t = tf.avgPool(t, k, k, 'valid') as typeof t
      return tf.image.resizeBilinear(t, [side, side], false, true)
    })
  )
}

async function express(nets: LoadedNets, id: number, images: RawImage[]): Promise<void> {
  await nets.prepare({ detector: 'tiny', landmarkNet: 'full', descriptors: false })
  const crops = netCrops(nets, images, 112)
  try {
    const out =
      crops.length === 0
        ? []
        : ((await nets.faceapi.nets.faceExpressionNet.predictExpressions(crops)) as Array<Record<ExpressionName, number>>)
    post({
      type: 'expressed',
      id,
      expressions: out.map((e) => Object.fromEntries(expressionNames.map((name) => [name, e[name]])) as Expressions)
    })
  } finally {
    crops.forEach((crop) => crop.dispose())
  }
}

async function describe(nets: LoadedNets, id: number, images: RawImage[]): Promise<void> {
  const { faceapi } = nets
  await nets.prepare({ detector: 'tiny', landmarkNet: 'full', descriptors: true })
  const crops = netCrops(nets, images, 150)
  try {
    const out = crops.length === 0 ? [] : ((await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crops)) as Float32Array[])
    post(
      { type: 'described', id, descriptors: out },
      out.map((d) => d.buffer as ArrayBuffer)
    )
  } finally {
    crops.forEach((crop) => crop.dispose())
  }
}

function stats(nets: LoadedNets, id: number): void {
  const memory = nets.tf.memory()
  const wasm = (nets.tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm
  const result: FaceWorkerStats = {
    numTensors: memory.numTensors,
    numBytes: memory.numBytes,
    wasmHeapBytes: wasm?.HEAPU8?.byteLength ?? 0,
    ...counters
  }
  post({ type: 'stats', id, stats: result })
}

async function main(): Promise<void> {
  // A failure to load ends the thread with that error; the pool reports it.
  const nets = await loadFaceNets()
  port!.on('message', (message: ToFaceWorker) => {
    switch (message.type) {
      case 'cancel':
        cancelled.add(message.id)
        return
      case 'exit':
        process.exit(message.code)
        return
      case 'stats':
        enqueue(async () => stats(nets, message.id))
        return
      case 'describe':
        enqueue(() =>
          describe(nets, message.id, message.images).catch((err) => post({ type: 'failed', id: message.id, message: errMessage(err) }))
        )
        return
      case 'express':
        enqueue(() =>
          express(nets, message.id, message.images).catch((err) => post({ type: 'failed', id: message.id, message: errMessage(err) }))
        )
        return
      case 'find': {
        const decoding = decodeSource(message.source, message.options.maxSide, message.decoder)
        decoding.catch(() => undefined) // awaited (and reported) in its turn
        enqueue(() => find(nets, message, decoding))
        return
      }
    }
  })
  post({ type: 'ready', backend: nets.tf.getBackend() })
}

void main().catch((err) => {
  // Rethrown outside the promise so that the thread ends with an 'error' event.
  setImmediate(() => {
    throw err instanceof Error ? err : new Error(String(err))
  })
})
