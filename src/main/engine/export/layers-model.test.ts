import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { VaeModel } from '../model/vae-model'
import { Rng } from '../random/rng'
import { smallModel, tempDir, useWasm } from '../../../../test/support/small-setup'
import { exportLayersModel, weightsFile } from './layers-model'

const dirs: string[] = []

beforeAll(useWasm)
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })))
})

/** What a user's page does: read model.json, fetch the weights it names, `tf.loadLayersModel`. */
async function loadFromDisk(dir: string): Promise<tf.layers.LayersModel> {
  const modelJson = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => fs.readFile(path.join(dir, p))))
        const joined = Buffer.concat(buffers)
        return [manifest.flatMap((group) => group.weights), joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.length)]
      })
  }
  return tf.layers.loadLayersModel(handler)
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])
}

describe('exportLayersModel', () => {
  it('writes encoder and decoder that plain tf.loadLayersModel runs with the studio model’s outputs', async () => {
    const dir = await tempDir('export-model')
    dirs.push(dir)
    const config = { ...smallModel, latentDim: 6 }
    const model = new VaeModel(config, 7)
    const before = tf.memory().numTensors
    const info = await exportLayersModel(model, dir)
    expect(tf.memory().numTensors).toBe(before)
    expect(info).toMatchObject({ imageSize: 32, channels: 3, latentDim: 6 })
    for (const part of ['encoder', 'decoder']) {
      const json = JSON.parse(await fs.readFile(path.join(dir, part, 'model.json'), 'utf8'))
      expect(json.format).toBe('layers-model')
      expect(json.weightsManifest[0].paths).toEqual([weightsFile])
    }
    expect(JSON.parse(await fs.readFile(path.join(dir, 'vae-studio.json'), 'utf8')).latentDim).toBe(6)

    const encoder = await loadFromDisk(path.join(dir, 'encoder'))
    const decoder = await loadFromDisk(path.join(dir, 'decoder'))
    const rng = new Rng(3)
    const x = tf.tensor4d(
      Float32Array.from({ length: 4 * 32 * 32 * 3 }, () => rng.next()),
      [4, 32, 32, 3]
    )
    const z = tf.tensor2d(
      Float32Array.from({ length: 5 * 6 }, () => rng.normal()),
      [5, 6]
    )
    tf.tidy(() => {
      const ours = model.encode(x)
      const [mu, logVar] = encoder.predict(x) as tf.Tensor[]
      expect(maxAbsDiff(mu, ours.mu)).toBeLessThan(1e-5)
      expect(maxAbsDiff(logVar, ours.logVar)).toBeLessThan(1e-5)
      const images = decoder.predict(z) as tf.Tensor
      expect(images.shape).toEqual([5, 32, 32, 3])
      // Images in [0, 1], i.e. the sigmoid of the studio decoder's logits.
      expect(maxAbsDiff(images, model.decodeImages(z))).toBeLessThan(1e-5)
      expect(tf.min(images).dataSync()[0]).toBeGreaterThanOrEqual(0)
      expect(tf.max(images).dataSync()[0]).toBeLessThanOrEqual(1)
    })
    tf.dispose([x, z])
    encoder.dispose()
    decoder.dispose()
    model.dispose()
  })

  it('exports the weights the model holds now, again and again, without touching the studio model', async () => {
    const dir = await tempDir('export-model')
    dirs.push(dir)
    const model = new VaeModel(smallModel, 1)
    await exportLayersModel(model, path.join(dir, 'first'))
    const other = new VaeModel(smallModel, 2)
    model.loadWeightArrays(other.weightArrays())
    other.dispose()
    await exportLayersModel(model, path.join(dir, 'second'))
    const [first, second] = await Promise.all(['first', 'second'].map((d) => fs.readFile(path.join(dir, d, 'decoder', weightsFile))))
    expect(first.equals(second)).toBe(false)
    const decoder = await loadFromDisk(path.join(dir, 'second', 'decoder'))
    const z = tf.zeros([1, smallModel.latentDim])
    // The studio model still works (its layers were shared with the export wrapper, not disposed).
    tf.tidy(() => {
      expect(maxAbsDiff(decoder.predict(z) as tf.Tensor, model.decodeImages(z as tf.Tensor2D))).toBeLessThan(1e-5)
    })
    z.dispose()
    decoder.dispose()
    model.dispose()
  })
})
