import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { generateDemoFaces } from '../demo/generate'
import { Rng } from '../random/rng'
import * as tf from '../tf'
import { FaceEmbedder } from './face-embedder'

let embedder: FaceEmbedder

beforeAll(async () => {
  embedder = await FaceEmbedder.start({ workers: 1, jobSize: 8 })
}, 120_000)
afterAll(() => embedder?.dispose())

function demoFaces(count: number, size: 32 | 64): RawImage[] {
  const { images } = generateDemoFaces(count, 3, size)
  const len = size * size * 3
  return Array.from({ length: count }, (_, i) => ({ width: size, height: size, channels: 3, pixels: images.slice(i * len, (i + 1) * len) }))
}

function toGrey(image: RawImage): RawImage {
  const pixels = new Uint8Array(image.width * image.height)
  for (let p = 0; p < pixels.length; p++) pixels[p] = image.pixels[3 * p + 1]
  return { ...image, channels: 1, pixels }
}

describe('face embedder (face-api recognition net in a worker thread)', () => {
  it('gives one finite 128-d descriptor per face, in order, deterministically, across jobs', { timeout: 120_000 }, async () => {
    const faces = demoFaces(10, 64)
    const before = tf.memory().numTensors
    const first = await embedder.embed(faces)
    const again = await embedder.embed([faces[7], faces[2]])
    expect(first).toHaveLength(10)
    expect(first.every((d) => d.length === 128 && d.every(Number.isFinite))).toBe(true)
    expect(again[0]).toEqual(first[7])
    expect(again[1]).toEqual(first[2])
    expect(first[0]).not.toEqual(first[1])
    // The engine thread's tfjs is never touched: face-api lives in the worker.
    expect(tf.memory().numTensors).toBe(before)
    const { msPerFace, faces: counted } = embedder.timing
    console.info(`face embedding: ${msPerFace.toFixed(1)} ms per face on one core (${counted} faces, 64 px)`)
    expect(counted).toBe(12)
  })

  it('treats grey crops as RGB with equal channels, and takes 32–128 px', { timeout: 120_000 }, async () => {
    const rgb = demoFaces(1, 64)[0]
    const grey = toGrey(rgb)
    const equalRgb: RawImage = { ...rgb, pixels: Uint8Array.from({ length: rgb.pixels.length }, (_, i) => grey.pixels[Math.floor(i / 3)]) }
    const [g, e] = await embedder.embed([grey, equalRgb])
    expect(g).toEqual(e)
    const sizes = await embedder.embed([demoFaces(1, 32)[0], { ...demoFaces(1, 64)[0] }, noise(128, 1)])
    expect(sizes.every((d) => d.length === 128)).toBe(true)
  })

  it('refuses malformed images before any work', async () => {
    await expect(embedder.embed([{ width: 64, height: 64, channels: 3, pixels: new Uint8Array(10) }])).rejects.toThrow(/bytes/)
    await expect(embedder.embed([{ width: 8, height: 8, channels: 1, pixels: new Uint8Array(64) }])).rejects.toThrow(/at least 16/)
  })

  it('reports a worker that cannot start, and ends it', async () => {
    await expect(FaceEmbedder.start({ startWorker: () => new Worker('throw new Error("no net here")', { eval: true }) })).rejects.toThrow(
      /no net here/
    )
    const broken = (): Worker =>
      new Worker(`require('node:worker_threads').parentPort.postMessage({ type: 'broken', message: 'weights missing' })`, { eval: true })
    await expect(FaceEmbedder.start({ startWorker: broken })).rejects.toThrow(/could not start: weights missing/)
  })

  it('fails pending work (does not hang) when its worker dies', async () => {
    const dying = (): Worker =>
      new Worker(
        `const { parentPort } = require('node:worker_threads'); parentPort.postMessage({ type: 'ready', backend: 'fake' }); parentPort.on('message', () => process.exit(3))`,
        { eval: true }
      )
    const fake = await FaceEmbedder.start({ startWorker: dying })
    await expect(fake.embed(demoFaces(2, 32))).rejects.toThrow(/exited with code 3/)
    await fake.dispose()
  })
})

function noise(size: number, seed: number): RawImage {
  const rng = new Rng(seed)
  return { width: size, height: size, channels: 1, pixels: Uint8Array.from({ length: size * size }, () => rng.int(256)) }
}
