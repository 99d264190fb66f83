/**
 * A worker thread that decodes part of an image grid on the second core. tfjs's wasm backend is
 * single-threaded in Node, so the engine's own thread can only ever use one core; this thread has
 * its own wasm instance and a copy of the decoder's weights, sent whenever they change.
 */
import { parentPort } from 'node:worker_threads'
import * as tf from '../tf'
import { selectBackend } from '../backend/select-backend'
import { decoder as buildDecoder } from '../model/decoder'
import { decodeLogitsFused } from '../model/fused-decoder'
import { tensorToRawImages } from '../image/raw-images'
import type { FromDecodeWorker, ToDecodeWorker } from './decode-worker-protocol'
import { messageOf } from '../../../shared/errors'

const port = parentPort
if (!port) throw new Error('decode-worker.ts runs as a worker thread only')

let decoder: tf.layers.LayersModel | null = null
let latentDim = 0

function setDecoder(message: Extract<ToDecodeWorker, { type: 'decoder' }>): void {
  const same = decoder !== null && latentDim === message.config.latentDim && sameShapes(decoder, message)
  if (!same) {
    decoder?.dispose()
    decoder = buildDecoder(message.config)
    latentDim = message.config.latentDim
  }
  const weights = decoder!.weights
  if (weights.length !== message.weights.length) throw new Error(`decoder has ${weights.length} weights, got ${message.weights.length}`)
  weights.forEach((w, i) =>
    tf.tidy(() => {
      w.write(tf.tensor(message.weights[i].data, message.weights[i].shape))
    })
  )
}

function sameShapes(model: tf.layers.LayersModel, message: Extract<ToDecodeWorker, { type: 'decoder' }>): boolean {
  return (
    model.weights.length === message.weights.length && model.weights.every((w, i) => w.shape.join() === message.weights[i].shape.join())
  )
}

function decode(id: number, z: Float32Array, count: number): FromDecodeWorker {
  if (!decoder) return { type: 'failed', id, message: 'no decoder has been sent yet' }
  const model = decoder
  const images = tf.scoped(() => tensorToRawImages(tf.sigmoid(decodeLogitsFused(model, tf.tensor2d(z, [count, latentDim]))) as tf.Tensor4D))
  return { type: 'decoded', id, images }
}

port.on('message', (message: ToDecodeWorker) => {
  if (message.type === 'decoder') {
    setDecoder(message)
    return
  }
  let reply: FromDecodeWorker
  try {
    reply = decode(message.id, message.z, message.count)
  } catch (err) {
    reply = { type: 'failed', id: message.id, message: messageOf(err) }
  }
  port.postMessage(reply, reply.type === 'decoded' ? reply.images.map((image) => image.pixels.buffer as ArrayBuffer) : [])
})

// A backend that fails to load rejects here, which ends the thread with that error: the engine
// then decodes everything itself.
void selectBackend('wasm').then(() => port.postMessage({ type: 'ready' } satisfies FromDecodeWorker))
