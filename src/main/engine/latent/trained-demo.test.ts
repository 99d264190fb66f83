/**
 * The latent tools on a real model: a small β-VAE trained here on demo faces, whose known factors
 * (and the renderer, which can draw the same face with and without glasses) give ground truth.
 * One training run (6 epochs of 1,350 faces at 32 px: ~25 s of CPU on 2 cores) serves every check in this file.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { defaultTrainConfig, type ModelConfig } from '../../../shared/config'
import type { RawImage } from '../../../shared/images'
import { demoFaceRegions, generateDemoFaces, renderDemoFace, type PixelBox } from '../demo'
import { datasetRowToRawImage } from '../image/raw-images'
import { decodeCodes, encodeRows, sampleCodes } from '../inference/inference'
import { VaeModel } from '../model/vae-model'
import { listCheckpoints } from '../project/checkpoint-list'
import { createProject } from '../project/project-file'
import { projectPaths } from '../project/project-paths'
import { Rng } from '../random/rng'
import { projectRunRecorder } from '../session/project-run-recorder'
import { tempDir, useWasm } from '../../../../test/support/small-setup'
import { Trainer } from '../train/trainer'
import { applyAttribute, attributeVector } from './attribute'
import { compressionReadout } from './compression-readout'
import { addGaussianNoise, addSaltPepper } from './corrupt'
import { denoise } from './denoise'
import { reconstructImages } from './encode-images'
import { psnr, ssim } from './image-quality'
import { timeline } from './timeline'
import { norm } from './vectors'

const size = 32
const config: ModelConfig = { imageSize: size, channels: 3, latentDim: 16, recon: 'bce', baseFilters: 8 }
const trainCount = 1500
const heldOutCount = 200

let dir: string
let project: string
let model: VaeModel
const train = generateDemoFaces(trainCount, 101, size)
const heldOut = generateDemoFaces(heldOutCount, 202, size)

beforeAll(async () => {
  await useWasm()
  dir = await tempDir('latent-demo')
  project = `${dir}/demo.vaeproj`
  await createProject(project)
  model = new VaeModel(config, 1)
  const trainer = new Trainer({
    model,
    config: {
      ...defaultTrainConfig,
      length: { unit: 'epochs', amount: 6 },
      batchSize: 32,
      learningRate: 3e-3,
      valFraction: 0.1,
      checkpointEverySteps: 1000,
      seed: 1
    },
    data: { images: train.images, size, channels: 3, count: trainCount },
    store: projectRunRecorder(project),
    events: { progress: () => undefined, epoch: () => undefined, state: () => undefined, notice: () => undefined }
  })
  const final = await trainer.run()
  trainer.dispose()
  expect(final.state).toBe('finished')
}, 240_000)

afterAll(async () => {
  model?.dispose()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

const heldOutImage = (i: number): RawImage => datasetRowToRawImage(heldOut.images, i, size, 3)

const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length

function pearson(a: number[], b: number[]): number {
  const ma = mean(a)
  const mb = mean(b)
  let ab = 0
  let aa = 0
  let bb = 0
  a.forEach((v, i) => {
    ab += (v - ma) * (b[i] - mb)
    aa += (v - ma) ** 2
    bb += (b[i] - mb) ** 2
  })
  return ab / Math.sqrt(aa * bb + 1e-9)
}

interface EditEffect {
  /**
   * Correlation, inside the eye band, between the model's pixel change and the true change (the
   * same face re-drawn with the attribute toggled). Centred, so a global brightness shift scores 0.
   */
  correlation: number
  /** RMS of the model's change inside and outside the eye band, grey levels. */
  changeInside: number
  changeOutside: number
  /** Mean signed change inside the eye band (negative = darker), grey levels. */
  meanInside: number
  /** RMS distance inside the eye band to the true counterfactual, before and after the edit. */
  toTargetBefore: number
  toTargetAfter: number
}

function editEffect(before: RawImage, after: RawImage, original: Uint8Array, counterfactual: Uint8Array, box: PixelBox): EditEffect {
  const modelChange: number[] = []
  const trueChange: number[] = []
  let outside2 = 0
  let outsideN = 0
  let targetBefore = 0
  let targetAfter = 0
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1
      for (let c = 0; c < 3; c++) {
        const j = (y * size + x) * 3 + c
        const dm = after.pixels[j] - before.pixels[j]
        if (!inside) {
          outside2 += dm * dm
          outsideN++
          continue
        }
        modelChange.push(dm)
        trueChange.push(counterfactual[j] - original[j])
        targetBefore += (before.pixels[j] - counterfactual[j]) ** 2
        targetAfter += (after.pixels[j] - counterfactual[j]) ** 2
      }
    }
  }
  const n = modelChange.length
  return {
    correlation: pearson(modelChange, trueChange),
    changeInside: Math.sqrt(modelChange.reduce((s, d) => s + d * d, 0) / n),
    changeOutside: Math.sqrt(outside2 / outsideN),
    meanInside: mean(modelChange),
    toTargetBefore: Math.sqrt(targetBefore / n),
    toTargetAfter: Math.sqrt(targetAfter / n)
  }
}

/** Applies `vector` × amount to every held-out face with `glasses === from`, and measures the effect against ground truth. */
function editHeldOut(vector: number[], amount: number, from: boolean): EditEffect[] {
  const indices = heldOut.factors.flatMap((f, i) => (f.glasses === from ? [i] : []))
  const mu = encodeRows(model, { images: heldOut.images, size, channels: 3 }, indices).mu
  const before = decodeCodes(model, mu)
  const after = decodeCodes(
    model,
    mu.map((code) => applyAttribute(code, vector, amount))
  )
  return indices.map((index, k) => {
    const f = heldOut.factors[index]
    return editEffect(
      before[k],
      after[k],
      renderDemoFace(f, size),
      renderDemoFace({ ...f, glasses: !f.glasses }, size),
      demoFaceRegions(f, size).eyes
    )
  })
}

let glassesCache: number[] | null = null

/** Learned from the training faces' labels: mean μ with glasses − mean μ without. */
function glassesVector(): number[] {
  if (glassesCache) return glassesCache
  const mu = encodeRows(
    model,
    { images: train.images, size, channels: 3 },
    Array.from({ length: trainCount }, (_, i) => i)
  ).mu
  glassesCache = attributeVector(
    mu.filter((_, i) => train.factors[i].glasses),
    mu.filter((_, i) => !train.factors[i].glasses)
  )
  return glassesCache
}

describe('attribute vector learned from the glasses label', () => {
  it('adds glasses to faces without them and removes them from faces with them, in the eye band only', () => {
    const before = tf.memory().numTensors
    const vector = glassesVector()
    for (const [from, amount] of [
      [false, 1],
      [true, -1]
    ] as const) {
      const effects = editHeldOut(vector, amount, from)
      expect(effects.length).toBeGreaterThan(70)
      const summary = {
        agreeing: effects.filter((e) => e.correlation > 0).length / effects.length,
        correlation: mean(effects.map((e) => e.correlation)),
        inside: mean(effects.map((e) => e.changeInside)),
        outside: mean(effects.map((e) => e.changeOutside)),
        darker: mean(effects.map((e) => e.meanInside)),
        targetBefore: mean(effects.map((e) => e.toTargetBefore)),
        targetAfter: mean(effects.map((e) => e.toTargetAfter))
      }
      // The change points the way the glasses do on (nearly) every face, not just on average.
      expect(summary.agreeing).toBeGreaterThan(0.9)
      expect(summary.correlation).toBeGreaterThan(0.15)
      // It is concentrated where glasses are drawn.
      expect(summary.inside).toBeGreaterThan(1.5 * summary.outside)
      // Dark frames appear (adding) or vanish (removing) …
      if (amount > 0) expect(summary.darker).toBeLessThan(-2)
      else expect(summary.darker).toBeGreaterThan(2)
      // … and the eye band moves towards the true counterfactual face.
      expect(summary.targetAfter).toBeLessThan(summary.targetBefore)
    }
    expect(tf.memory().numTensors).toBe(before)
  })

  it('does so because of its direction: random directions of the same length do not', () => {
    const vector = glassesVector()
    const score = (v: number[]) => {
      const effects = editHeldOut(v, 1, false)
      return {
        correlation: mean(effects.map((e) => e.correlation)),
        focus: mean(effects.map((e) => e.changeInside)) / mean(effects.map((e) => e.changeOutside))
      }
    }
    const glasses = score(vector)
    const rng = new Rng(5)
    const random = Array.from({ length: 8 }, () => {
      const direction = vector.map(() => rng.normal())
      return score(direction.map((v) => (v * norm(vector)) / norm(direction)))
    })
    for (const r of random) {
      expect(glasses.correlation).toBeGreaterThan(r.correlation + 0.1)
      expect(glasses.focus).toBeGreaterThan(r.focus)
    }
  })
})

describe('denoising by projection', () => {
  const faces = Array.from({ length: 12 }, (_, i) => heldOutImage(i))

  it('recovers more of the clean face than the noisy input holds (Gaussian σ = 0.2)', () => {
    const before = tf.memory().numTensors
    const gains = faces.map((clean, i) => {
      const noisy = addGaussianNoise(clean, 0.2, 100 + i)
      return psnr(clean, denoise(model, noisy)) - psnr(clean, noisy)
    })
    expect(tf.memory().numTensors).toBe(before)
    // Every face gains; on average by well over a decibel (≈ 2.3 dB for this model). SSIM is not
    // asserted: a 32 px model this small blurs the faces' many edges, which SSIM punishes more than noise.
    expect(Math.min(...gains)).toBeGreaterThan(0.3)
    expect(mean(gains)).toBeGreaterThan(1.5)
  })

  it('also cleans salt-and-pepper noise', () => {
    const gains = faces.map((clean, i) => {
      const noisy = addSaltPepper(clean, 0.1, 200 + i)
      return psnr(clean, denoise(model, noisy)) - psnr(clean, noisy)
    })
    expect(Math.min(...gains)).toBeGreaterThan(0)
  })
})

describe('compression readout', () => {
  it('reports code, PNG and JPEG sizes and the reconstruction quality', async () => {
    const image = heldOutImage(3)
    const before = tf.memory().numTensors
    const readout = await compressionReadout(model, image)
    expect(tf.memory().numTensors).toBe(before)
    expect(readout.latentDim).toBe(16)
    expect(readout.codeBytesFloat32).toBe(64)
    expect(readout.codeBytesFloat16).toBe(32)
    expect(readout.rawBytes).toBe(size * size * 3)
    expect(readout.pngBytes).toBeGreaterThan(readout.codeBytesFloat32)
    expect(readout.jpegBytes).toBeGreaterThan(readout.codeBytesFloat32)
    const [reconstruction] = reconstructImages(model, [image])
    expect(Buffer.compare(readout.reconstruction.pixels, reconstruction.pixels)).toBe(0)
    expect(readout.psnr).toBeCloseTo(psnr(image, reconstruction), 10)
    expect(readout.ssim).toBeCloseTo(ssim(image, reconstruction), 10)
    expect(readout.psnr).toBeGreaterThan(15)
    expect(readout.ssim).toBeGreaterThan(0.2)
    expect(readout.ssim).toBeLessThan(1)
    // Half precision costs next to nothing; JPEG at quality 90 is far more faithful than the VAE.
    expect(Math.abs(readout.psnrFloat16 - readout.psnr)).toBeLessThan(0.2)
    expect(readout.jpegPsnr).toBeGreaterThan(readout.psnr)
  })
})

describe('fixed-seed timeline', () => {
  it('decodes the same codes with every kept checkpoint, oldest first, the last matching the trained model', async () => {
    const checkpoints = (await listCheckpoints(project)).map((c) => c.step).sort((a, b) => a - b)
    expect(checkpoints.length).toBeGreaterThanOrEqual(2)
    const before = tf.memory().numTensors
    const { frames, skipped } = await timeline(project, config, 9, 6)
    expect(tf.memory().numTensors).toBe(before)
    expect(skipped).toEqual([])
    expect(frames.map((f) => f.step)).toEqual(checkpoints)
    for (const frame of frames) expect(frame.images).toHaveLength(6)
    const last = frames.at(-1)!
    const expected = decodeCodes(model, sampleCodes(16, 6, 1, 9))
    last.images.forEach((img, i) => expect(Buffer.compare(img.pixels, expected[i].pixels)).toBe(0))
    // Earlier checkpoints draw the same codes differently: the frames show training, not resampling.
    expect(psnr(frames[0].images[0], last.images[0])).toBeLessThan(60)
    expect(frames[0].epoch).toBeLessThan(last.epoch)
  })

  it('skips a damaged checkpoint and says which', async () => {
    const copy = `${dir}/damaged.vaeproj`
    await fs.cp(project, copy, { recursive: true })
    const [oldest] = (await listCheckpoints(copy)).sort((a, b) => a.step - b.step)
    const weights = path.join(projectPaths(copy).checkpointsDir, oldest.name, 'weights.bin')
    const bytes = await fs.readFile(weights)
    bytes[0] ^= 0xff
    await fs.writeFile(weights, bytes)
    const { frames, skipped } = await timeline(copy, config, 9, 2)
    expect(skipped).toHaveLength(1)
    expect(skipped[0]).toContain(oldest.name)
    expect(frames.map((f) => f.step)).not.toContain(oldest.step)
  })
})
