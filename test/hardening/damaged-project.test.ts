/**
 * Hardening, part 3: damaged projects, through the engine session and its dispatcher (exactly
 * what the engine process answers the host). A damaged project.json, checkpoint or dataset gives
 * one clear error with the contract's code, never a crash; a damaged newest checkpoint falls back
 * to the last good one, for inference and for training; a checkpoint that does not fit the model
 * is refused without leaking its tensors, and the engine keeps answering afterwards.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../../src/main/engine/tf'
import type { ModelConfig } from '../../src/shared/config'
import type { Sample } from '../../src/shared/contract'
import type { TrainNotice, TrainProgress, TrainState } from '../../src/shared/events'
import { decodeCodes, sampleCodes } from '../../src/main/engine/inference/inference'
import { VaeModel } from '../../src/main/engine/model/vae-model'
import { checkpointName } from '../../src/main/engine/project/checkpoint-names'
import { writeCheckpoint } from '../../src/main/engine/project/checkpoint-writer'
import { createProject } from '../../src/main/engine/project/project-file'
import { projectPaths } from '../../src/main/engine/project/project-paths'
import { currentSchemaVersion } from '../../src/main/engine/project/project-schema'
import { INDEX_VERSION } from '../../src/main/engine/dataset/dataset-index'
import { smallModel, smallTrain, tempDir, useWasm } from '../support/small-setup'
import { errorOf, resultOf, sessionHarness } from './testing/session-harness'
import { withTimeout } from './testing/with-timeout'

const older = { step: 3, seed: 11 }
const newer = { step: 6, seed: 12 }
/** The prior's codes, so which checkpoint answered shows in the pixels alone (fitted codes depend on the weights too). */
const sampleRequest = { count: 4, temperature: 1, seed: 7, sampling: 'prior' as const }

let root: string
let template: string
let copies = 0

async function writeModelCheckpoint(dir: string, step: number, model: ModelConfig, seed: number): Promise<void> {
  const vae = new VaeModel(model, seed)
  await writeCheckpoint(dir, {
    step,
    epoch: 1,
    beta: 1,
    targetBeta: 1,
    rngState: [1, 2, 3, 4],
    seeds: { split: 3, init: seed },
    tensors: vae.weightArrays(),
    optimizer: { name: 'adam', iterations: step, tensors: [] }
  })
  vae.dispose()
}

/** What sampling from a model with `seed`'s weights gives: the images a checkpoint of it must give. */
function expectedSample(seed: number): Sample {
  const vae = new VaeModel(smallModel, seed)
  const z = sampleCodes(smallModel.latentDim, sampleRequest.count, sampleRequest.temperature, sampleRequest.seed)
  const expected = { z, images: decodeCodes(vae, z) }
  vae.dispose()
  return expected
}

async function copyOfTemplate(): Promise<{ dir: string; paths: ReturnType<typeof projectPaths> }> {
  const dir = path.join(root, `copy-${copies++}.vaeproj`)
  await fs.cp(template, dir, { recursive: true })
  return { dir, paths: projectPaths(dir) }
}

function stepDir(dir: string, step: number): string {
  return path.join(projectPaths(dir).checkpointsDir, checkpointName(step))
}

async function truncate(file: string, keep: (size: number) => number): Promise<void> {
  const data = await fs.readFile(file)
  await fs.writeFile(file, data.subarray(0, keep(data.length)))
}

function samePixels(a: Sample, b: Sample): boolean {
  return a.images.every((image, i) => Buffer.from(image.pixels).equals(Buffer.from(b.images[i].pixels)))
}

beforeAll(async () => {
  await useWasm()
  root = await tempDir('damaged')
  template = path.join(root, 'Template.vaeproj')
  await createProject(template, { model: smallModel })
  const { ask, session } = sessionHarness()
  resultOf(await ask('projectOpen', { path: template }))
  resultOf(await ask('datasetDemo', { count: 40, seed: 5, size: 32 }))
  await session.dispose()
  await writeModelCheckpoint(template, older.step, smallModel, older.seed)
  await writeModelCheckpoint(template, newer.step, smallModel, newer.seed)
}, 60_000)

afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true })
})

describe('damaged projects (engine session)', () => {
  it('refuses a damaged, missing or newer project.json with one clear error, and carries on', async () => {
    const cases: Array<{ what: string; damage: (file: string) => Promise<void>; code: string; message: RegExp }> = [
      {
        what: 'cut in half',
        damage: (file) => truncate(file, (n) => n >> 1),
        code: 'bad-data',
        message: /^project\.json is damaged: .*JSON/
      },
      { what: 'emptied', damage: (file) => fs.writeFile(file, ''), code: 'bad-data', message: /^project\.json is damaged/ },
      {
        what: 'deleted',
        damage: (file) => fs.rm(file),
        code: 'bad-data',
        message: /is not a VAE Studio project \(it has no project\.json\)$/
      },
      {
        what: 'not an object',
        damage: (file) => fs.writeFile(file, '[1, 2, 3]'),
        code: 'bad-data',
        message: /^project\.json is damaged: it does not hold a JSON object$/
      },
      {
        what: 'a field of the wrong type',
        damage: async (file) =>
          fs.writeFile(file, JSON.stringify({ ...JSON.parse(await fs.readFile(file, 'utf8')), model: { latentDim: 'eight' } })),
        code: 'bad-data',
        message: /^project\.json is damaged: model\.latentDim: /
      },
      {
        what: 'from a newer VAE Studio',
        damage: async (file) =>
          fs.writeFile(file, JSON.stringify({ ...JSON.parse(await fs.readFile(file, 'utf8')), schemaVersion: 99, newField: {} })),
        code: 'newer-schema',
        message: new RegExp(
          `saved by a newer VAE Studio \\(project schema 99; this version reads up to ${currentSchemaVersion}\\)\\. Update VAE Studio to open it\\.$`
        )
      },
      {
        what: 'replaced by a folder',
        damage: async (file) => (await fs.rm(file), fs.mkdir(file)),
        code: 'bad-data',
        message: /has no project\.json/
      }
    ]
    const { ask, session } = sessionHarness()
    for (const { what, damage, code, message } of cases) {
      const { dir, paths } = await copyOfTemplate()
      await damage(paths.projectJson)
      const error = errorOf(await ask('projectOpen', { path: dir }))
      expect(error.code, what).toBe(code)
      expect(error.message, what).toMatch(message)
      // The refused project did not become the open one, and the session still works.
      expect(resultOf(await ask('projectCurrent'))).toBeNull()
    }
    expect(resultOf<{ imageCount: number }>(await ask('projectOpen', { path: template })).imageCount).toBe(40)
    await session.dispose()
  })

  it('samples from the last good checkpoint when the newest one is damaged', async () => {
    const fromOlder = expectedSample(older.seed)
    const fromNewer = expectedSample(newer.seed)
    expect(samePixels(fromOlder, fromNewer)).toBe(false)
    const cases: Array<{ what: string; damage: (dir: string) => Promise<void>; expected: Sample }> = [
      { what: 'intact', damage: async () => undefined, expected: fromNewer },
      {
        what: 'weights.bin cut short',
        damage: (dir) => truncate(path.join(stepDir(dir, newer.step), 'weights.bin'), (n) => n - 100),
        expected: fromOlder
      },
      {
        what: 'weights.bin emptied',
        damage: (dir) => fs.writeFile(path.join(stepDir(dir, newer.step), 'weights.bin'), ''),
        expected: fromOlder
      },
      { what: 'weights.bin missing', damage: (dir) => fs.rm(path.join(stepDir(dir, newer.step), 'weights.bin')), expected: fromOlder },
      {
        what: 'weights.bin bytes flipped',
        damage: async (dir) => {
          const file = path.join(stepDir(dir, newer.step), 'weights.bin')
          const data = await fs.readFile(file)
          data[data.length >> 1] ^= 0x40
          await fs.writeFile(file, data)
        },
        expected: fromOlder
      },
      {
        what: 'manifest.json cut short',
        damage: (dir) => truncate(path.join(stepDir(dir, newer.step), 'manifest.json'), (n) => n >> 1),
        expected: fromOlder
      },
      {
        what: 'manifest from a newer checkpoint format',
        damage: async (dir) => {
          const file = path.join(stepDir(dir, newer.step), 'manifest.json')
          await fs.writeFile(file, JSON.stringify({ ...JSON.parse(await fs.readFile(file, 'utf8')), formatVersion: 2 }))
        },
        expected: fromOlder
      },
      // A torn or garbage pointer is no reason to lose the newest checkpoint: it is still intact.
      {
        what: 'latest.json garbage',
        damage: (dir) => fs.writeFile(projectPaths(dir).latestCheckpoint, '{"name": "step-'),
        expected: fromNewer
      },
      { what: 'latest.json missing', damage: (dir) => fs.rm(projectPaths(dir).latestCheckpoint), expected: fromNewer }
    ]
    for (const { what, damage, expected } of cases) {
      const { dir } = await copyOfTemplate()
      await damage(dir)
      const { ask, session } = sessionHarness()
      resultOf(await ask('projectOpen', { path: dir }))
      const before = tf.memory().numTensors
      const sampled = resultOf<Sample>(await ask('modelSample', sampleRequest))
      expect(samePixels(sampled, expected), what).toBe(true)
      await session.dispose()
      expect(tf.memory().numTensors, `${what}: tensors left behind`).toBe(before)
    }
  })

  it('resumes training from the last good checkpoint and says which one was damaged', async () => {
    const { dir } = await copyOfTemplate()
    await truncate(path.join(stepDir(dir, newer.step), 'weights.bin'), (n) => n >> 1)
    const { ask, session, events } = sessionHarness()
    resultOf(await ask('projectOpen', { path: dir }))
    expect(
      resultOf<TrainState>(
        await ask('trainStart', { model: smallModel, train: smallTrain({ epochs: 50, batchSize: 8, checkpointEverySteps: 1000 }) })
      ).state
    ).toBe('running')
    await expect.poll(() => events.some((e) => e.event === 'train:progress'), { timeout: 60_000 }).toBe(true)
    expect(resultOf<TrainState>(await ask('trainStop')).state).toBe('stopped')
    const notices = events.filter((e) => e.event === 'train:notice').map((e) => (e.payload as TrainNotice).message)
    expect(notices).toEqual([
      expect.stringMatching(
        /^checkpoint step-000000006 is damaged: weights\.bin has \d+ bytes, expected \d+; resuming from an older checkpoint$/
      )
    ])
    const first = events.find((e) => e.event === 'train:progress')!.payload as TrainProgress
    expect(first.step).toBe(older.step + 1)
    await session.dispose()
  })

  it('refuses when every checkpoint is damaged, without crashing', async () => {
    const { dir } = await copyOfTemplate()
    for (const step of [older.step, newer.step]) await truncate(path.join(stepDir(dir, step), 'weights.bin'), (n) => n - 4)
    const { ask, session } = sessionHarness()
    resultOf(await ask('projectOpen', { path: dir }))
    const error = errorOf(await ask('modelSample', sampleRequest))
    expect(error.code).not.toBe('internal')
    expect(error.message.length).toBeGreaterThan(10)
    expect(resultOf<{ path: string }>(await ask('projectCurrent')).path).toBe(dir)
    await session.dispose()
  })

  it('refuses a checkpoint whose tensor shapes do not fit the model: a clear error, no leak, no crash', async () => {
    const { dir } = await copyOfTemplate()
    await fs.rm(projectPaths(dir).checkpointsDir, { recursive: true })
    await fs.mkdir(projectPaths(dir).checkpointsDir)
    // Same layers, other sizes: the checkpoint of a 16-dimensional latent space in a project of 8.
    await writeModelCheckpoint(dir, 9, { ...smallModel, latentDim: 16 }, 13)
    const { ask, session, nextEnd } = sessionHarness()
    resultOf(await ask('projectOpen', { path: dir }))
    const before = tf.memory().numTensors
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = errorOf(await ask('modelSample', sampleRequest))
      expect(error.message).toMatch(/^checkpoint tensor encoder\/\S+ has shape \[\d+,16\] but the model expects \[\d+,8\]$/)
    }
    expect(tf.memory().numTensors, 'tensors of the refused model left behind').toBe(before)

    // Training from it fails with the same reason, and leaves no untrained model posing as step 9.
    const ended = nextEnd()
    resultOf(await ask('trainStart', { model: smallModel, train: smallTrain({ epochs: 5, batchSize: 8 }) }))
    const final = await withTimeout(ended, 60_000, 'the failed run to end')
    expect(final).toMatchObject({ state: 'failed', reason: expect.stringMatching(/shape \[\d+,16\] but the model expects \[\d+,8\]/) })
    expect(errorOf(await ask('modelSample', sampleRequest)).message).toMatch(/shape/)
    expect(resultOf<{ path: string }>(await ask('projectCurrent')).path).toBe(dir)
    await session.dispose()
    expect(tf.memory().numTensors, 'tensors left behind by the failed run').toBe(before)
  })

  it('refuses a damaged or newer dataset cache with a clear error', async () => {
    const cases: Array<{ what: string; damage: (datasetDir: string) => Promise<void>; code: string; message: RegExp }> = [
      {
        what: 'pixels cut short',
        damage: (d) => truncate(path.join(d, 'images.u8'), (n) => n - 1),
        code: 'bad-data',
        message: /^dataset cache is damaged: .*import the folder again$/
      },
      {
        what: 'pixels changed',
        damage: async (d) => {
          const file = path.join(d, 'images.u8')
          const data = await fs.readFile(file)
          data[7] ^= 1
          await fs.writeFile(file, data)
        },
        code: 'bad-data',
        message: /^dataset cache is damaged: .*checksum differs/
      },
      {
        what: 'index cut short',
        damage: (d) => truncate(path.join(d, 'index.json'), (n) => n >> 1),
        code: 'bad-data',
        message: /^dataset cache is damaged: .*not valid JSON$/
      },
      {
        what: 'index from a newer version',
        damage: async (d) => {
          const file = path.join(d, 'index.json')
          await fs.writeFile(file, JSON.stringify({ ...JSON.parse(await fs.readFile(file, 'utf8')), version: 7 }))
        },
        code: 'newer-schema',
        message: new RegExp(`^dataset cache version 7 is newer than this studio reads \\(${INDEX_VERSION}\\); update VAE Studio$`)
      }
    ]
    for (const { what, damage, code, message } of cases) {
      const { dir, paths } = await copyOfTemplate()
      await damage(paths.datasetDir)
      const { ask, session } = sessionHarness()
      resultOf(await ask('projectOpen', { path: dir }))
      const error = errorOf(await ask('datasetThumbnails', { from: 0, count: 4 }))
      expect(error.code, what).toBe(code)
      expect(error.message, what).toMatch(message)
      expect(resultOf<{ path: string }>(await ask('projectCurrent')).path, what).toBe(dir)
      await session.dispose()
    }
  })
})
