import { execFile } from 'node:child_process'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { defaultModelConfig, type ModelConfig } from '../../../shared/config'
import type { RawImage } from '../../../shared/images'
import { selectBackend } from '../backend/select-backend'
import { VaeModel } from '../model/vae-model'
import { trainStep } from '../train/train-step'
import { decodeCodes, sampleCodes } from './inference'
import { ParallelDecoder, minParallelCodes } from './parallel-decoder'
import { initialGaussianVariance } from '../model/losses'

const config: ModelConfig = { ...defaultModelConfig, imageSize: 32, channels: 3, latentDim: 6, baseFilters: 8 }
const grid = sampleCodes(config.latentDim, 21, 1, 3)

function expectSameImages(actual: RawImage[], expected: RawImage[]): void {
  expect(actual.length).toBe(expected.length)
  actual.forEach((image, i) => {
    expect([image.width, image.height, image.channels]).toEqual([expected[i].width, expected[i].height, expected[i].channels])
    expect(Buffer.from(image.pixels).equals(Buffer.from(expected[i].pixels)), `image ${i}`).toBe(true)
  })
}

describe('ParallelDecoder', () => {
  const decoders: ParallelDecoder[] = []
  const models: VaeModel[] = []
  const make = (startWorker?: () => Worker) => {
    const decoder = new ParallelDecoder(startWorker)
    decoders.push(decoder)
    return decoder
  }
  const model = (seed: number) => {
    const vae = new VaeModel(config, seed)
    models.push(vae)
    return vae
  }

  beforeAll(async () => {
    await selectBackend('wasm')
  })

  afterEach(async () => {
    await Promise.all(decoders.splice(0).map((d) => d.dispose()))
    for (const m of models.splice(0)) m.dispose()
  })

  it('decodes a grid on two threads into exactly the images, in order, one thread gives', async () => {
    const decoder = make()
    const vae = model(1)
    expect(await decoder.warmUp()).toBe(true)
    expectSameImages(await decoder.decode(vae, grid), decodeCodes(vae, grid))
    expect(decoder.remoteImages).toBe(10)
  })

  it('sends the worker new weights when training or a checkpoint changes them', async () => {
    const decoder = make()
    const vae = model(1)
    await decoder.warmUp()
    const before = await decoder.decode(vae, grid)
    const optimizer = tf.train.adam(0.05)
    const pixels = config.imageSize * config.imageSize * config.channels
    const batch = new Float32Array(4 * pixels).map((_, i) => (i % 7) / 7)
    trainStep({
      model: vae,
      optimizer,
      batch,
      eps: new Float32Array(4 * config.latentDim),
      batchSize: 4,
      beta: 1,
      noiseVariance: initialGaussianVariance
    })
    optimizer.dispose()
    const trained = await decoder.decode(vae, grid)
    expectSameImages(trained, decodeCodes(vae, grid))
    vae.loadWeightArrays(model(2).weightArrays())
    const after = await decoder.decode(vae, grid)
    expectSameImages(after, decodeCodes(vae, grid))
    // The second half, the worker's, changed each time.
    const last = (images: RawImage[]) => Buffer.from(images[grid.length - 1].pixels)
    expect(last(trained).equals(last(before))).toBe(false)
    expect(last(after).equals(last(trained))).toBe(false)
    // A different model of the same shape is another set of weights as well.
    const other = model(3)
    expectSameImages(await decoder.decode(other, grid), decodeCodes(other, grid))
    expect(decoder.remoteImages).toBe(4 * 10)
  })

  it('refuses a grid with a code of the wrong length, wherever in the grid it is', async () => {
    const decoder = make()
    const vae = model(1)
    await decoder.warmUp()
    const bad = grid.map((row, i) => (i === grid.length - 2 ? [...row, 0] : row))
    await expect(decoder.decode(vae, bad)).rejects.toThrow(/a code has 7 values but this model's latent space has 6 dimensions/)
    expect(decoder.remoteImages).toBe(0)
  })

  it('does not keep a process alive once its grids are decoded', async () => {
    const tsx = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href
    const child = path.resolve(__dirname, '../../../../test/support/decode-and-return.ts')
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', tsx, child], { timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)
      )
    )
    expect(JSON.parse(output)).toEqual({ ready: true, images: 12, remote: 6 })
  }, 90_000)

  it('keeps single codes and small grids on the engine thread, without starting a worker', async () => {
    let started = 0
    const decoder = make(() => {
      started++
      throw new Error('not expected')
    })
    const vae = model(1)
    const few = grid.slice(0, minParallelCodes - 1)
    expectSameImages(await decoder.decode(vae, few), decodeCodes(vae, few))
    expect(started).toBe(0)
  })

  it('decodes everything itself when the worker cannot start or dies', async () => {
    const vae = model(1)
    const unstartable = make(() => {
      throw new Error('no threads here')
    })
    expect(await unstartable.warmUp()).toBe(false)
    expectSameImages(await unstartable.decode(vae, grid), decodeCodes(vae, grid))

    const crashing = make(() => new Worker('throw new Error("broken worker")', { eval: true }))
    expect(await crashing.warmUp()).toBe(false)
    expectSameImages(await crashing.decode(vae, grid), decodeCodes(vae, grid))

    const dying = make()
    await dying.warmUp()
    const pending = dying.decode(vae, grid)
    await dying.dispose()
    expectSameImages(await pending, decodeCodes(vae, grid))
    expect(unstartable.remoteImages + crashing.remoteImages + dying.remoteImages).toBe(0)
  })

  it('leaves no tensors behind on the engine thread', async () => {
    const decoder = make()
    const vae = model(1)
    await decoder.warmUp()
    await decoder.decode(vae, grid)
    const before = tf.memory().numTensors
    for (let i = 0; i < 3; i++) await decoder.decode(vae, grid)
    expect(tf.memory().numTensors).toBe(before)
  })
})
