import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { defaultImportOptions } from '../../../shared/config'
import type { StudioEvents } from '../../../shared/events'
import type { QualityPoint } from '../../../shared/results'
import { faceSet } from '../../../../test/support/datasets'
import { smallModel, smallTrain, tempDir, useWasm } from '../../../../test/support/small-setup'
import { projectPaths } from '../project/project-paths'
import { engineHandlers } from './engine-handlers'
import { EngineSession } from './engine-session'

const backend = { name: 'wasm', available: ['wasm', 'cpu'] }
let root: string

function newSession() {
  const events: Array<{ event: keyof StudioEvents; payload: unknown }> = []
  const waiting: Array<(p: QualityPoint) => void> = []
  const engine = new EngineSession((event, payload) => {
    events.push({ event, payload })
    if (event === 'quality:point') waiting.splice(0).forEach((resolve) => resolve(payload as QualityPoint))
  }, backend)
  const session = { ...engineHandlers(engine), dispose: () => engine.dispose() }
  const nextPoint = () => new Promise<QualityPoint>((resolve) => waiting.push(resolve))
  return { session, events, nextPoint, engine }
}

function expectFinitePoint(point: QualityPoint): void {
  for (const value of [point.frechet, point.kid, point.kidStd, point.identity, point.floor.frechet, point.floor.kid, point.seconds])
    expect(Number.isFinite(value)).toBe(true)
  expect(point.frechet).toBeGreaterThan(0)
  // Samples of a model trained for a few steps are far from the faces; two halves of the faces are not.
  expect(point.frechet).toBeGreaterThan(point.floor.frechet)
  expect(point.identity).toBeGreaterThan(0)
  expect(point.identity).toBeLessThanOrEqual(1)
}

beforeAll(async () => {
  await useWasm()
  root = await tempDir('quality')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('sample quality through the engine session', () => {
  it('measures in the background while training, on request, keeps the points across reopening, frees its tensors', async () => {
    const { session, events, nextPoint } = newSession()
    const project = path.join(root, 'faces.vaeproj')
    await session.projectCreate({ path: project })
    await session.datasetDemo({ count: 48, seed: 3, size: 32 })
    const untrained = await session.qualityHistory()
    expect(untrained).toMatchObject({ applies: false, points: [] })
    expect(untrained.reason).toMatch(/train first/)
    await expect(session.qualityMeasure({ samples: 16, seed: 0, temperature: 1 })).rejects.toMatchObject({ code: 'invalid-request' })

    const background = nextPoint()
    await session.trainStart({ model: smallModel, train: smallTrain({ epochs: 2, quality: true }) })
    const first = await background
    expectFinitePoint(first)
    expect(first).toMatchObject({ samples: 128, reference: 48, heldOut: 9, temperature: 1 })
    expect(first.step).toBeGreaterThan(0)
    // Training has ended by now (6 steps): the next measurement is the one asked for.
    const ended = () => events.some((e) => e.event === 'train:state' && (e.payload as { state: string }).state === 'finished')
    while (!ended()) await new Promise((r) => setTimeout(r, 50))

    const before = tf.memory().numTensors
    const asked = nextPoint()
    const point = await session.qualityMeasure({ samples: 16, seed: 1, temperature: 1 })
    expect(tf.memory().numTensors).toBe(before)
    expect(await asked).toEqual(point)
    expectFinitePoint(point)
    expect(point).toMatchObject({ samples: 16, reference: 48, heldOut: 9 })
    // Same real faces, so the same floor.
    expect(point.floor).toEqual(first.floor)
    const history = await session.qualityHistory()
    expect(history.applies).toBe(true)
    expect(history.points.map((p) => p.samples)).toEqual([128, 16].slice(0, history.points.length))
    expect(history.points).toContainEqual(point)
    await session.dispose()

    const reopened = newSession()
    await reopened.session.projectOpen({ path: project })
    expect(await reopened.session.qualityHistory()).toEqual(history)
    // A damaged file: the project still opens, the history is empty with a notice.
    await fs.writeFile(projectPaths(project).qualityFile, '{"version": 1, "points": [tor')
    await reopened.session.projectOpen({ path: project })
    expect((await reopened.session.qualityHistory()).points).toEqual([])
    expect(reopened.events.some((e) => e.event === 'train:notice' && /damaged/.test((e.payload as { message: string }).message))).toBe(true)
    // The cached real faces: the next measurement embeds only samples and reconstructions.
    const again = await reopened.session.qualityMeasure({ samples: 16, seed: 1, temperature: 1 })
    expect(again.frechet).toBeCloseTo(point.frechet, 6)
    expect((await reopened.session.qualityHistory()).points).toEqual([again])
    await reopened.session.dispose()
    expect(events.filter((e) => e.event === 'quality:point')).toHaveLength(2)
  }, 180_000)

  it('abandons a background measurement when another project is opened or the session closes: nothing written, nothing leaked', async () => {
    const baseline = tf.memory().numTensors
    const { session, events, engine } = newSession()
    const first = path.join(root, 'switch.vaeproj')
    await session.projectCreate({ path: first })
    await session.datasetDemo({ count: 48, seed: 5, size: 32 })
    const afterCheckpoint = async (): Promise<void> => {
      const start = events.length
      while (!events.slice(start).some((e) => e.event === 'train:progress' && (e.payload as { step: number }).step % 3 === 1))
        await new Promise((r) => setTimeout(r, 10))
    }
    // A checkpoint every 3 steps starts a measurement (the embedder alone takes seconds to start).
    await session.trainStart({ model: smallModel, train: smallTrain({ epochs: 20, quality: true }) })
    await afterCheckpoint()
    await session.trainStop()
    await session.projectCreate({ path: path.join(root, 'other.vaeproj') })
    // The measurement begun in the first project ends without writing there (or here).
    await engine.quality.settled()
    await expect(fs.stat(projectPaths(first).qualityFile)).rejects.toMatchObject({ code: 'ENOENT' })
    // Back to the first project, training again: closing the session mid-measurement.
    await session.projectOpen({ path: first })
    await session.trainStart({ model: smallModel, train: smallTrain({ epochs: 40, quality: true }) })
    await afterCheckpoint()
    const closing = performance.now()
    await engine.dispose()
    expect(performance.now() - closing).toBeLessThan(20_000)
    await new Promise((r) => setTimeout(r, 3000))
    for (const dir of [first, path.join(root, 'other.vaeproj')])
      await expect(fs.stat(projectPaths(dir).qualityFile)).rejects.toMatchObject({ code: 'ENOENT' })
    expect(events.some((e) => e.event === 'quality:point')).toBe(false)
    expect(tf.memory().numTensors).toBe(baseline)
  }, 120_000)

  it('does not apply to images that are not faces', async () => {
    const folder = path.join(root, 'stripes')
    await fs.mkdir(folder)
    for (let i = 0; i < 30; i++) {
      const pixels = Buffer.alloc(48 * 48)
      for (let y = 0; y < 48; y++)
        for (let x = 0; x < 48; x++) pixels[y * 48 + x] = ((x + i) >> (1 + (i % 3))) % 2 ? 230 : (y * 5 + i * 17) % 256
      await sharp(pixels, { raw: { width: 48, height: 48, channels: 1 } })
        .png()
        .toFile(path.join(folder, `s${i}.png`))
    }
    const { session } = newSession()
    await session.projectCreate({ path: path.join(root, 'stripes.vaeproj') })
    await session.datasetImport({
      folder,
      options: { ...defaultImportOptions, size: 32, channels: 1, faces: { ...defaultImportOptions.faces, find: false } }
    })
    const history = await session.qualityHistory()
    expect(history.applies).toBe(false)
    expect(history.reason).toMatch(/do not look like faces.*found one in \d+ of 24/)
    await expect(session.qualityMeasure({ samples: 16, seed: 0, temperature: 1 })).rejects.toMatchObject({
      code: 'invalid-request',
      message: history.reason
    })
    await session.dispose()
  }, 120_000)
  it('judges a 32-px set of faces from its source files at 64 px, and says why when they are gone', async (context) => {
    const olivetti = faceSet('olivetti_faces_64')
    if (!olivetti) return context.skip()
    const crops = (await fs.readdir(olivetti)).filter((f) => f.endsWith('.png')).sort()
    const importSmall = async (name: string) => {
      const folder = path.join(root, name)
      await fs.mkdir(folder)
      for (const file of crops.filter((_, i) => i % 10 === 0)) await fs.copyFile(path.join(olivetti, file), path.join(folder, file))
      const { session } = newSession()
      await session.projectCreate({ path: path.join(root, `${name}.vaeproj`) })
      await session.datasetImport({
        folder,
        options: { ...defaultImportOptions, size: 32, channels: 1, faces: { ...defaultImportOptions.faces, find: false } }
      })
      return { session, folder }
    }
    const kept = await importSmall('olivetti-32')
    // Past the faces check: what is missing now is training.
    expect((await kept.session.qualityHistory()).reason).toMatch(/^the model has not been trained yet/)
    await kept.session.dispose()

    const moved = await importSmall('olivetti-32-moved')
    await fs.rm(moved.folder, { recursive: true })
    const history = await moved.session.qualityHistory()
    expect(history.applies).toBe(false)
    expect(history.reason).toMatch(/24 of them were seen at 32 px, too small for the detector, because their source files were gone/)
    await moved.session.dispose()
  }, 240_000)

  it('a request begun on one project still reads that project’s images after another is opened', async () => {
    const { session, engine } = newSession()
    await session.projectCreate({ path: path.join(root, 'first.vaeproj') })
    await session.datasetDemo({ count: 8, seed: 3, size: 32 })
    const first = engine.requireProject()
    const history = session.qualityHistory()
    await session.projectCreate({ path: path.join(root, 'empty.vaeproj') })
    await expect(history).resolves.toMatchObject({ applies: false })
    expect((await engine.requireDataset(first)).count).toBe(8)
    await expect(engine.requireDataset()).rejects.toMatchObject({ code: 'not-found' })
    await session.dispose()
  }, 120_000)

  it('answers in plain words how many faces it needs on a project of 3, before looking at them', async () => {
    const folder = path.join(root, 'three')
    await fs.mkdir(folder)
    for (let i = 0; i < 3; i++)
      await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 60 * i, g: 120, b: 200 } } })
        .png()
        .toFile(path.join(folder, `f${i}.png`))
    const { session } = newSession()
    await session.projectCreate({ path: path.join(root, 'three.vaeproj') })
    await session.datasetImport({
      folder,
      options: { ...defaultImportOptions, size: 32, channels: 3, faces: { ...defaultImportOptions.faces, find: false } }
    })
    const history = await session.qualityHistory()
    expect(history).toMatchObject({ applies: false, points: [] })
    expect(history.reason).toBe(
      'this project has only 3 faces: measuring sample quality needs at least 4 (its floor compares two halves of the real faces); import more faces'
    )
    await expect(session.qualityMeasure({ samples: 16, seed: 0, temperature: 1 })).rejects.toMatchObject({ message: history.reason })
    await session.dispose()
  }, 120_000)
})
