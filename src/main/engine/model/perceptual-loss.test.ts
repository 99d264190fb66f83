import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { selectBackend } from '../backend/select-backend'
import { Rng } from '../random/rng'
import { denseBlock, perceptualFeatures, perceptualPerImage, readLandmarkWeights, releasePerceptualNet } from './perceptual-loss'

const datasets = process.env.VAE_STUDIO_DATASETS ?? path.resolve(__dirname, '../../../../../shared/datasets')

function noise(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const rng = new Rng(seed)
  return tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()), shape)
}

/** A smooth grey face-like test card: a bright oval on grey, dark eyes and mouth. */
function card(size: number): tf.Tensor4D {
  const values = new Float32Array(size * size)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [u, v] = [(x - size / 2) / size, (y - size / 2) / size]
      const face = u * u / 0.1 + v * v / 0.16 < 1 ? 0.8 : 0.3
      const eye = Math.hypot(Math.abs(u) - 0.15, v + 0.1) < 0.05
      const mouth = Math.abs(v - 0.2) < 0.03 && Math.abs(u) < 0.12
      values[y * size + x] = eye || mouth ? 0.1 : face
    }
  }
  return tf.tensor4d(values, [1, size, size, 1])
}

describe('perceptual loss (face-api landmark net, first two blocks)', () => {
  afterAll(() => releasePerceptualNet())

  it('reads the landmark net right: the whole net puts eyes above the nose above the mouth on a real face', async () => {
    const file = path.join(datasets, 'olivetti_faces_64')
    let pixels: Float32Array
    try {
      const first = (await import('node:fs')).readdirSync(file).filter((f) => f.endsWith('.png')).sort()[0]
      const sharp = (await import('sharp')).default
      pixels = Float32Array.from(await sharp(readFileSync(path.join(file, first))).greyscale().raw().toBuffer(), (v) => v / 255)
    } catch {
      console.log(`skipped: no Olivetti faces at ${file}`)
      return
    }
    await selectBackend('cpu')
    const points = tf.tidy(() => {
      const w = readLandmarkWeights(() => true)
      // As face-api's FaceLandmark68Net: 112 px RGB, four dense blocks, 7×7 average pool, fc.
      let h = tf.image.resizeBilinear(tf.tensor4d(pixels, [1, 64, 64, 1]), [112, 112])
      h = tf.sub(tf.tile(h, [1, 1, 1, 3]), tf.tensor1d([122.782, 117.001, 104.298].map((m) => m / 255)))
      for (const [i, block] of ['dense0', 'dense1', 'dense2', 'dense3'].entries()) h = denseBlock(h, w, block, i === 0)
      const pooled = tf.reshape(tf.avgPool(h, 7, 2, 'valid'), [1, 256])
      return tf.add(tf.matMul(pooled, w['fc/weights'] as tf.Tensor2D), w['fc/bias']).dataSync()
    })
    const at = (from: number, to: number) => {
      const xs = [], ys = []
      for (let i = from; i <= to; i++) xs.push(points[2 * i]), ys.push(points[2 * i + 1])
      return { x: xs.reduce((a, b) => a + b) / xs.length, y: ys.reduce((a, b) => a + b) / ys.length }
    }
    const [leftEye, rightEye, nose, mouth] = [at(36, 41), at(42, 47), at(30, 35), at(48, 67)]
    expect(leftEye.x).toBeLessThan(rightEye.x - 0.15)
    expect(Math.max(leftEye.y, rightEye.y)).toBeLessThan(nose.y)
    expect(nose.y).toBeLessThan(mouth.y)
    for (const p of [leftEye, rightEye, nose, mouth]) for (const v of [p.x, p.y]) expect(v).toBeGreaterThan(0.05), expect(v).toBeLessThan(0.95)
  })

  it('gives grey images the features of their RGB copies (mean folded into the first convolution)', async () => {
    await selectBackend('cpu')
    const x = noise([2, 16, 16, 1], 4)
    const [grey, rgb] = tf.tidy(() => [perceptualFeatures(x), perceptualFeatures(tf.tile(x, [1, 1, 1, 3]) as tf.Tensor4D)].map((fs) => fs.map((f) => f.dataSync())))
    grey.forEach((f, i) => {
      const scale = Math.max(...rgb[i].map(Math.abs))
      expect(Math.max(...f.map((v, j) => Math.abs(v - rgb[i][j]))) / scale).toBeLessThan(1e-5)
    })
    // And the same as the face-api recipe spelled out: ((x·255) − mean) / 255 into the blocks.
    const spelled = tf.tidy(() => {
      const w = readLandmarkWeights((name) => name.startsWith('dense0/'))
      const normalised = tf.sub(tf.tile(x, [1, 1, 1, 3]), tf.tensor1d([122.782, 117.001, 104.298].map((m) => m / 255))) as tf.Tensor4D
      return denseBlock(normalised, w, 'dense0', true).dataSync()
    })
    const scale = Math.max(...spelled.map(Math.abs))
    expect(Math.max(...grey[0].map((v, j) => Math.abs(v - spelled[j]))) / scale).toBeLessThan(1e-5)
    x.dispose()
  })

  it('gives features at ½ and ¼ size, and the same loss on wasm as on cpu', async () => {
    const results: number[][] = []
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend)
      const x = noise([2, 64, 64, 1], 1)
      const y = noise([2, 64, 64, 1], 2)
      tf.tidy(() => {
        expect(perceptualFeatures(x).map((f) => f.shape)).toEqual([[2, 32, 32, 32], [2, 16, 16, 64]])
      })
      results.push(Array.from(tf.tidy(() => perceptualPerImage(x, y).dataSync())))
      tf.dispose([x, y])
    }
    results[1].forEach((v, i) => expect(v).toBeCloseTo(results[0][i], 1))
    expect(results[0][0]).toBeGreaterThan(100)
  })

  it('is zero for identical images, grows with blur, and its gradient reaches the reconstruction on wasm as on cpu', async () => {
    const grads: Float32Array[] = []
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend)
      const x = card(64)
      const blurred = tf.tidy(() => tf.avgPool(tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]], 0.3), 5, 1, 'valid') as tf.Tensor4D)
      const [same, soft] = tf.tidy(() => [perceptualPerImage(x, x).dataSync()[0], perceptualPerImage(x, blurred).dataSync()[0]])
      expect(same).toBeCloseTo(0, 6)
      expect(soft).toBeGreaterThan(10)
      const before = tf.memory().numTensors
      const g = tf.grad((r: tf.Tensor) => tf.sum(perceptualPerImage(x, r as tf.Tensor4D)))(blurred)
      grads.push(g.dataSync() as Float32Array)
      g.dispose()
      expect(tf.memory().numTensors).toBe(before)
      tf.dispose([x, blurred])
    }
    const scale = Math.max(...grads[0].map(Math.abs))
    expect(scale).toBeGreaterThan(0)
    expect(Math.max(...grads[1].map((v, i) => Math.abs(v - grads[0][i]))) / scale).toBeLessThan(1e-3)
  })
})
