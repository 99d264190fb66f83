import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { StudioError } from '../../../shared/errors'
import type { StudioEvents, TrainState } from '../../../shared/events'
import { smallModel, smallTrain, tempDir, useWasm } from '../../../../test/support/small-setup'
import { engineHandlers } from './engine-handlers'
import { EngineSession } from './engine-session'
import { readPngCode } from '../export/png-code'
import { sampleCodes } from '../inference/inference'

const backend = { name: 'wasm', available: ['wasm', 'cpu'] }
let root: string

function newSession() {
  const events: Array<{ event: keyof StudioEvents; payload: unknown }> = []
  let finished: (s: TrainState) => void = () => undefined
  const engine = new EngineSession((event, payload) => {
    events.push({ event, payload })
    const state = payload as TrainState
    if (event === 'train:state' && ['finished', 'stopped', 'failed'].includes(state.state)) finished(state)
  }, backend)
  const session = { ...engineHandlers(engine), dispose: () => engine.dispose() }
  const nextEnd = () => new Promise<TrainState>((resolve) => (finished = resolve))
  return { session, events, nextEnd }
}

beforeAll(async () => {
  await useWasm()
  root = await tempDir('session')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('engine handlers', () => {
  it('says on which backends training runs on worker threads (where the thread count and sharpening apply): wasm only', async () => {
    for (const [name, workerThreads] of [
      ['wasm', true],
      ['cpu', false],
      ['tensorflow', false]
    ] as const) {
      const engine = new EngineSession(() => undefined, { name, available: [name] })
      expect((await engineHandlers(engine).engineInfo()).workerThreads).toBe(workerThreads)
      await engine.dispose()
    }
  })

  it('refuses work before a project is open, with a clear code', async () => {
    const { session } = newSession()
    await expect(session.datasetThumbnails({ from: 0, count: 1 })).rejects.toMatchObject({ code: 'no-project' })
    await expect(session.projectOpen({ path: path.join(root, 'nope.vaeproj') })).rejects.toBeInstanceOf(Error)
  })

  it('creates a project, imports demo faces, trains, and serves inference', async () => {
    const { session, events, nextEnd } = newSession()
    const project = path.join(root, 'faces.vaeproj')
    const created = await session.projectCreate({ path: project })
    expect(created.imageCount).toBe(0)
    const imported = await session.datasetDemo({ count: 40, seed: 3, size: 32 })
    expect(imported.imported).toBe(40)
    expect(events.some((e) => e.event === 'dataset:progress')).toBe(true)
    const thumbs = await session.datasetThumbnails({ from: 38, count: 10 })
    expect(thumbs).toHaveLength(2)
    expect(thumbs[0]).toMatchObject({ width: 32, height: 32, channels: 3 })

    await expect(session.modelSample({ count: 1, temperature: 1, seed: 1 })).rejects.toThrow(/not been trained/)
    const end = nextEnd()
    const started = await session.trainStart({ model: smallModel, train: smallTrain({ epochs: 2 }) })
    expect(started.state).toBe('running')
    await expect(session.datasetDemo({ count: 20, seed: 1 })).rejects.toMatchObject({ code: 'busy' })
    await session.trainSetBeta({ beta: 2 })
    expect((await end).state).toBe('finished')
    expect(events.some((e) => e.event === 'train:epoch')).toBe(true)

    const before = tf.memory().numTensors
    const sample = await session.modelSample({ count: 4, temperature: 1, seed: 7 })
    expect(sample.images).toHaveLength(4)
    expect(sample.z[0]).toHaveLength(8)
    const again = await session.modelSample({ count: 4, temperature: 1, seed: 7 })
    expect(again.images[0].pixels).toEqual(sample.images[0].pixels)
    const decoded = await session.modelDecode({ z: [new Array(8).fill(0)] })
    expect(decoded[0].pixels).toHaveLength(32 * 32 * 3)
    await expect(session.modelDecode({ z: [[0, 0]] })).rejects.toThrow(/8 dimensions/)
    const encoded = await session.modelEncode({ indices: [0, 1] })
    expect(encoded.mu).toHaveLength(2)
    expect(encoded.logVar[0]).toHaveLength(8)
    // Rows are 0-based in the contract; the message counts images from 1, as the user does.
    await expect(session.modelEncode({ indices: [40] })).rejects.toMatchObject({
      code: 'invalid-request',
      message: 'image 41 does not exist: the dataset has 40 images (1–40)'
    })
    await expect(session.modelReconstruct({ indices: [0, 45] })).rejects.toThrow(
      'image 46 does not exist: the dataset has 40 images (1–40)'
    )
    const recon = await session.modelReconstruct({ indices: [3] })
    expect(recon[0].width).toBe(32)
    const map = await session.latentMap({ axes: 'pca' })
    expect(map.points).toHaveLength(40)
    expect(map.axes[0]).toHaveLength(8)
    const dims = await session.latentMap({ axes: 'dims', dims: [2, 5] })
    expect(dims.points[1]).toEqual([encoded.mu[1][2], encoded.mu[1][5]])
    expect(tf.memory().numTensors).toBe(before)

    const history = await session.trainHistory()
    expect(history.rows.length).toBeGreaterThan(0)
    expect(history.epochs).toHaveLength(2)
    expect(history.betaChanges.at(-1)?.beta).toBe(2)

    const out = path.join(root, 'grid.png')
    const png = await session.exportPng({ images: sample.images, columns: 2, path: out })
    const meta = await sharp(out).metadata()
    expect(meta.width).toBe(2 * 32 + 3 * 2)
    expect(png.bytes.byteLength).toBeGreaterThan(100)

    // Reopening (as after a restart) serves the same model from its checkpoint.
    const reopened = newSession().session
    const summary = await reopened.projectOpen({ path: project })
    expect(summary.checkpoint?.epoch).toBe(2)
    expect(summary.train.beta).toBe(2)
    const fromCheckpoint = await reopened.modelSample({ count: 4, temperature: 1, seed: 7 })
    expect(fromCheckpoint.images[0].pixels).toEqual(sample.images[0].pixels)
    await reopened.dispose()
    await session.dispose()
  })

  it('serves every latent tool over the trained project and keeps recipes and attributes in it', async () => {
    const { session } = newSession()
    const project = path.join(root, 'faces.vaeproj')
    await session.projectOpen({ path: project })
    const strip = await session.latentInterpolate({ a: { index: 0 }, b: { index: 1 }, frames: 5, mode: 'spherical' })
    // Counted once the model is loaded: from here on every tool must free what it makes.
    const before = tf.memory().numTensors
    expect(strip.images).toHaveLength(5)
    const ends = await session.modelEncode({ indices: [0, 1] })
    strip.z[0].forEach((v, i) => expect(v).toBeCloseTo(ends.mu[0][i], 5))
    strip.z[4].forEach((v, i) => expect(v).toBeCloseTo(ends.mu[1][i], 5))

    const sum = await session.latentArithmetic({ a: [2], b: [3], c: [4] })
    const mus = (await session.modelEncode({ indices: [2, 3, 4] })).mu
    sum.z.forEach((v, i) => expect(v).toBeCloseTo(mus[0][i] - mus[1][i] + mus[2][i], 5))
    expect(await session.recipeSave({ name: 'mix', a: [2], b: [3], c: [4] })).toHaveLength(1)
    await session.recipeSave({ name: 'mix', a: [5], b: [3], c: [4] })
    expect((await session.recipeList()).map((r) => r.a)).toEqual([[5]])

    const attributes = await session.attributeCreate({ name: 'left', withIndices: [0, 1, 2], withoutIndices: [3, 4, 5] })
    expect(attributes[0].vector).toHaveLength(8)
    const applied = await session.attributeApply({ ref: { index: 6 }, name: 'left', amounts: [-1, 0, 1] })
    const base = (await session.modelEncode({ indices: [6] })).mu[0]
    applied.z[2].forEach((v, i) => expect(v).toBeCloseTo(base[i] + attributes[0].vector[i], 5))
    await expect(session.attributeApply({ ref: { index: 6 }, name: 'nope', amounts: [1] })).rejects.toMatchObject({ code: 'not-found' })

    const denoised = await session.toolsDenoise({ index: 7, noise: { kind: 'gaussian', sigma: 0.3 }, seed: 1 })
    expect(denoised.psnrNoisy).toBeLessThan(20)
    expect(denoised.noisy.pixels).not.toEqual(denoised.clean.pixels)
    const masked = await session.toolsDenoise({ index: 7, noise: { kind: 'mask', x: 0.25, y: 0.25, width: 0.5, height: 0.5 }, seed: 1 })
    expect(masked.noisy.pixels[(16 * 32 + 16) * 3]).toBe(0)

    const readout = await session.toolsCompression({ index: 8 })
    expect(readout.codeBytesFloat32).toBe(8 * 4)
    expect(readout.pngBytes).toBeGreaterThan(readout.codeBytesFloat32)

    const near = await session.toolsNearest({ code: base })
    expect(near.index).toBeGreaterThanOrEqual(0)
    expect(near.distance).toBeLessThan(0.5)

    const frames = await session.latentTimeline({ count: 4, seed: 3, temperature: 1 })
    expect(frames.frames.length).toBeGreaterThanOrEqual(1)
    expect(frames.frames.at(-1)?.images).toHaveLength(4)

    // Generated faces as files: each carries the code its own seed makes again.
    const generated = path.join(root, 'generated')
    expect(await session.exportSamples({ folder: generated, count: 5, temperature: 1, seed: 30 })).toEqual({
      folder: generated,
      count: 5
    })
    const third = readPngCode(await fs.readFile(path.join(generated, 'sample_00002.png')))
    expect(third?.code).toEqual((await session.modelSample({ count: 1, temperature: 1, seed: 32 })).z[0])
    // Codes come from the mixture fitted to the training faces' codes unless the prior is asked for.
    expect((await fs.readFile(path.join(generated, 'manifest.csv'), 'utf8')).split('\n')[3]).toMatch(/^sample_00002\.png,32,fitted,1,\d+$/)
    const prior = await session.modelSample({ count: 1, temperature: 1, seed: 32, sampling: 'prior' })
    expect(prior.z).toEqual(sampleCodes(8, 1, 1, 32))
    expect(prior.z[0]).not.toEqual(third?.code)

    const png = await session.exportCodePng({ code: base, seed: 9 })
    const restored = await session.latentFromPng({ png: png.bytes })
    restored.code.forEach((v, i) => expect(v).toBeCloseTo(base[i], 6))
    expect(restored.seed).toBe(9)
    await expect(
      session.latentFromPng({ png: (await session.exportPng({ images: strip.images, columns: 5 })).bytes })
    ).rejects.toMatchObject({ code: 'bad-data' })

    // Frames far apart in latent space, so even this barely trained model draws them differently.
    const far = await session.modelSample({ count: 5, temperature: 4, seed: 2 })
    const gif = await session.exportAnimation({
      frames: far.images,
      format: 'gif',
      delayMs: 80,
      loop: 0,
      path: path.join(root, 'strip.gif')
    })
    expect((await sharp(Buffer.from(gif.bytes), { animated: true }).metadata()).pages).toBe(5)

    const exported = await session.exportModel({ folder: path.join(root, 'model-export') })
    expect(exported.latentDim).toBe(8)
    await expect(fs.stat(path.join(root, 'model-export', 'decoder', 'model.json'))).resolves.toBeTruthy()
    expect(tf.memory().numTensors).toBe(before)

    // Saved with the project: a fresh session sees them.
    const other = newSession().session
    await other.projectOpen({ path: project })
    expect((await other.recipeList())[0].name).toBe('mix')
    expect((await other.attributeList())[0].name).toBe('left')
    expect(await other.attributeDelete({ name: 'left' })).toEqual([])
    expect(await other.recipeDelete({ name: 'mix' })).toEqual([])
    await other.dispose()
    await session.dispose()
  })

  it('refuses to retrain a project with a different architecture, the encoder’s width included', async () => {
    const { session } = newSession()
    await session.projectOpen({ path: path.join(root, 'faces.vaeproj') })
    const error = await session.trainStart({ model: { ...smallModel, latentDim: 16 }, train: smallTrain() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StudioError)
    expect((error as StudioError).message).toMatch(/latent size 8/)
    // Trained before the encoder had a width of its own: as wide as the rest (8), and a narrower one is another model.
    const narrower = await session.trainStart({ model: { ...smallModel, encoderFilters: 4 }, train: smallTrain() }).catch((e: unknown) => e)
    expect((narrower as StudioError).message).toMatch(/8 base filters and 8 encoder filters/)
  })

  it('finishes an import in the project it began in when another project is opened meanwhile', async () => {
    const { session, events } = newSession()
    const first = path.join(root, 'first.vaeproj')
    const second = path.join(root, 'second.vaeproj')
    await session.projectCreate({ path: first })
    const importing = session.datasetDemo({ count: 600, seed: 2, size: 32 })
    await session.projectCreate({ path: second })
    expect((await importing).imported).toBe(600)
    expect(await session.projectCurrent()).toMatchObject({ path: second, imageCount: 0 })
    // Announced: the second project opening, never the first one's import as if it were current.
    expect(events.filter((e) => e.event === 'project:changed').map((e) => (e.payload as { path: string }).path)).toEqual([first, second])
    await session.projectOpen({ path: first })
    expect(await session.projectCurrent()).toMatchObject({ path: first, imageCount: 600 })
    await session.dispose()
  })
})
