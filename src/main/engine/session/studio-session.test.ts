import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { StudioError } from '../../../shared/errors'
import type { StudioEvents, TrainState } from '../../../shared/events'
import { smallModel, smallTrain, tempDir, useWasm } from '../testing/small-setup'
import { StudioSession } from './studio-session'

const backend = { name: 'wasm', available: ['wasm', 'cpu'] }
let root: string

function newSession() {
  const events: Array<{ event: keyof StudioEvents; payload: unknown }> = []
  let finished: (s: TrainState) => void = () => undefined
  const session = new StudioSession((event, payload) => {
    events.push({ event, payload })
    const state = payload as TrainState
    if (event === 'train:state' && ['finished', 'stopped', 'failed'].includes(state.state)) finished(state)
  }, backend)
  const nextEnd = () => new Promise<TrainState>((resolve) => (finished = resolve))
  return { session, events, nextEnd }
}

beforeAll(async () => {
  await useWasm()
  root = await tempDir('session')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('studio session', () => {
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
    await expect(session.modelEncode({ indices: [40] })).rejects.toMatchObject({ code: 'invalid-request' })
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
    expect(png.png.byteLength).toBeGreaterThan(100)

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

  it('refuses to retrain a project with a different architecture', async () => {
    const { session } = newSession()
    await session.projectOpen({ path: path.join(root, 'faces.vaeproj') })
    const error = await session.trainStart({ model: { ...smallModel, latentDim: 16 }, train: smallTrain() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StudioError)
    expect((error as StudioError).message).toMatch(/latent size 8/)
  })
})
