import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Checkpoint } from './checkpoint-manifest'
import { listCheckpoints } from './checkpoint-list'
import { checkpointName } from './checkpoint-names'
import { readCheckpoint, readLatestCheckpoint } from './checkpoint-reader'
import { writeCheckpoint } from './checkpoint-writer'
import { ProjectError } from './project-error'
import { projectPaths } from './project-paths'
import { fakeCheckpoint } from '../../../../test/support/project/fake-checkpoint'
import { expectSameBits } from '../../../../test/support/project/same-bits'
import { useTempDirs } from '../../../../test/support/project/temp-dir'

const tempDir = useTempDirs()

function folder(dir: string, step: number): string {
  return path.join(projectPaths(dir).checkpointsDir, checkpointName(step))
}

async function stepFolders(dir: string): Promise<string[]> {
  return (await fs.readdir(projectPaths(dir).checkpointsDir)).filter((name) => name !== 'latest.json').sort()
}

async function writeSteps(dir: string, steps: number[], keep?: number): Promise<void> {
  for (const step of steps) await writeCheckpoint(dir, fakeCheckpoint(step, 300), { keep })
}

describe('writeCheckpoint / readCheckpoint', () => {
  it('round-trips bit-exactly, special values and odd shapes included', async () => {
    const dir = await tempDir()
    const special = new Float32Array(new Uint32Array([0x7fc00001, 0xffa00000, 0x80000000, 0x00000001, 0x7f800000, 0xff800000]).buffer)
    const checkpoint: Checkpoint = {
      ...fakeCheckpoint(1234),
      tensors: [
        ...fakeCheckpoint(1234).tensors,
        { name: 'special', shape: [2, 3], data: special },
        { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
        { name: 'view', shape: [2], data: new Float32Array([9, 1.5, -2.25, 7]).subarray(1, 3) }
      ]
    }
    const info = await writeCheckpoint(dir, checkpoint)
    expect(info).toMatchObject({ name: 'step-000001234', step: 1234, epoch: 123, latest: true })
    expectSameBits(await readCheckpoint(dir, 'step-000001234'), checkpoint)
    const latest = await readLatestCheckpoint(dir)
    expect(latest).toMatchObject({ name: 'step-000001234', problems: [] })
    expect(latest.fellBackFrom).toBeUndefined()
    expectSameBits(latest.checkpoint, checkpoint)
  })

  it("round-trips a sharpening run's schedule and discriminator, and refuses a malformed schedule", async () => {
    const dir = await tempDir()
    const base = fakeCheckpoint(40, 300)
    const sharpen = {
      chosen: 0.5,
      weight: 0.25,
      lambda: 123.456789,
      errorMean: 0.0123456789,
      errorAtStart: 0.01,
      backoffs: 1,
      calmUntil: 220,
      discriminatorSteps: 30,
      tensors: fakeCheckpoint(41, 300).tensors.map((t) => ({ ...t, name: `discriminator/${t.name}` }))
    }
    await writeCheckpoint(dir, { ...base, sharpen })
    const read = await readCheckpoint(dir, checkpointName(40))
    expectSameBits(read, { ...base, sharpen })
    // A checkpoint without it reads back without it.
    await writeCheckpoint(dir, fakeCheckpoint(50, 300))
    expect((await readCheckpoint(dir, checkpointName(50))).sharpen).toBeUndefined()
    await expect(writeCheckpoint(dir, { ...base, step: 60, sharpen: { ...sharpen, lambda: Number.NaN } })).rejects.toThrow(
      /invalid checkpoint: sharpen: lambda/
    )
  })

  it('describes weights.bin in a manifest a reader can check on its own', async () => {
    const dir = await tempDir()
    await writeCheckpoint(dir, fakeCheckpoint(7, 300))
    const manifest = JSON.parse(await fs.readFile(path.join(folder(dir, 7), 'manifest.json'), 'utf8'))
    const weights = await fs.readFile(path.join(folder(dir, 7), 'weights.bin'))
    expect(manifest.weights).toEqual({
      file: 'weights.bin',
      bytes: weights.byteLength,
      sha256: createHash('sha256').update(weights).digest('hex')
    })
    expect(manifest).toMatchObject({ format: 'vae-studio-checkpoint', formatVersion: 1, step: 7, seeds: { split: 11, init: 2 } })
    expect(manifest.optimizer).toMatchObject({ name: 'adam', iterations: 7, config: { beta1: 0.9 } })
    const entries = [...manifest.tensors, ...manifest.optimizer.tensors]
    expect(entries.map((e: { name: string }) => e.name)).toContain('encoder/conv1/kernel/m')
    let offset = 0
    for (const entry of entries) {
      expect(entry.offset).toBe(offset)
      offset += entry.bytes
    }
    expect(offset).toBe(weights.byteLength)
    const bias = manifest.tensors[1]
    const expected = fakeCheckpoint(7, 300).tensors[1].data
    expect(weights.subarray(bias.offset, bias.offset + bias.bytes).equals(Buffer.from(expected.buffer))).toBe(true)
    expect(await fs.readFile(projectPaths(dir).latestCheckpoint, 'utf8')).toContain('"step-000000007"')
  })

  it('refuses arrays that do not match their shapes or repeat a name, leaving nothing behind', async () => {
    const dir = await tempDir()
    const base = fakeCheckpoint(1, 300)
    const badShape = { ...base, tensors: [{ name: 'w', shape: [2, 2], data: new Float32Array(3) }] }
    await expect(writeCheckpoint(dir, badShape)).rejects.toThrow(/w has 3 values for shape \[2,2\]/)
    const twice = { ...base, tensors: [base.tensors[0], base.tensors[0]] }
    await expect(writeCheckpoint(dir, twice)).rejects.toThrow(/appears twice/)
    await expect(writeCheckpoint(dir, { ...base, step: -1 })).rejects.toThrow(/invalid checkpoint: step/)
    const noOptimizer = { ...base, optimizer: { ...base.optimizer, name: '' } }
    await expect(writeCheckpoint(dir, noOptimizer)).rejects.toThrow(/invalid checkpoint: optimizer: name/)
    await expect(writeCheckpoint(path.join(dir, 'missing'), base)).rejects.toThrow(/ENOENT/)
    expect(await readLatestCheckpoint(dir)).toEqual({ checkpoint: null, name: null, problems: [] })
  })

  it('replaces a checkpoint written again at the same step', async () => {
    const dir = await tempDir()
    await writeCheckpoint(dir, fakeCheckpoint(5, 300))
    const again = { ...fakeCheckpoint(5, 300), beta: 0.25 }
    await writeCheckpoint(dir, again)
    expectSameBits((await readLatestCheckpoint(dir)).checkpoint, again)
    expect(await stepFolders(dir)).toEqual(['step-000000005'])
  })
})

describe('pruning', () => {
  it('keeps the newest 3 and the earliest of each doubling of the step, spread over the run', async () => {
    const dir = await tempDir()
    // A short run on a small set, a checkpoint every 25 steps (issue 20.10: it kept 298, 299, 300).
    await writeSteps(
      dir,
      Array.from({ length: 12 }, (_, i) => 25 * (i + 1))
    )
    expect(await stepFolders(dir)).toEqual([25, 50, 75, 150, 250, 275, 300].map(checkpointName))
    await writeSteps(dir, [325], 1)
    expect(await stepFolders(dir)).toEqual([25, 50, 75, 150, 275, 325].map(checkpointName))
  })

  it('keeps only the newest K without the spread', async () => {
    const dir = await tempDir()
    for (const step of [10, 20, 30, 40, 50]) await writeCheckpoint(dir, fakeCheckpoint(step, 300), { keep: 2, spread: false })
    expect(await stepFolders(dir)).toEqual([40, 50].map(checkpointName))
  })

  it('drops checkpoints past a step a run resumed from, and crash debris', async () => {
    const dir = await tempDir()
    await writeSteps(dir, [10, 20, 30])
    const debris = path.join(projectPaths(dir).checkpointsDir, '.tmp-step-000000040-dead')
    await fs.mkdir(debris)
    await fs.writeFile(path.join(debris, 'weights.bin'), 'partial')
    await writeSteps(dir, [15])
    expect(await stepFolders(dir)).toEqual(['step-000000010', 'step-000000015'])
    expect((await readLatestCheckpoint(dir)).name).toBe('step-000000015')
  })

  it('lists checkpoints newest first and marks the latest', async () => {
    const dir = await tempDir()
    await writeSteps(dir, [1, 2, 3])
    const list = await listCheckpoints(dir)
    expect(list.map((info) => [info.step, info.latest])).toEqual([
      [3, true],
      [2, false],
      [1, false]
    ])
    expect(list[0].bytes).toBeGreaterThan(0)
    expect(Date.parse(list[0].savedAt)).not.toBeNaN()
    expect(await listCheckpoints(await tempDir())).toEqual([])
  })
})

describe('readLatestCheckpoint falls back', () => {
  async function threeCheckpoints(): Promise<string> {
    const dir = await tempDir()
    await writeSteps(dir, [100, 200, 300])
    return dir
  }

  async function expectFallbackTo200(dir: string, problem: RegExp): Promise<void> {
    const result = await readLatestCheckpoint(dir)
    expect(result.fellBackFrom).toBe('step-000000300')
    expect(result.name).toBe('step-000000200')
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatch(problem)
    expectSameBits(result.checkpoint, fakeCheckpoint(200, 300))
  }

  it('when the newest weights.bin is truncated', async () => {
    const dir = await threeCheckpoints()
    const file = path.join(folder(dir, 300), 'weights.bin')
    await fs.truncate(file, (await fs.stat(file)).size - 4)
    await expectFallbackTo200(dir, /checkpoint step-000000300 is damaged: weights\.bin has \d+ bytes, expected/)
    await expect(readCheckpoint(dir, 'step-000000300')).rejects.toBeInstanceOf(ProjectError)
  })

  it('when the newest weights.bin does not match its hash', async () => {
    const dir = await threeCheckpoints()
    const file = path.join(folder(dir, 300), 'weights.bin')
    const bytes = await fs.readFile(file)
    bytes[bytes.length >> 1] ^= 0x01
    await fs.writeFile(file, bytes)
    await expectFallbackTo200(dir, /does not match its sha256/)
  })

  it('when the newest manifest is missing, torn or from a newer format', async () => {
    const dir = await threeCheckpoints()
    const manifest = path.join(folder(dir, 300), 'manifest.json')
    const text = await fs.readFile(manifest, 'utf8')
    await fs.writeFile(manifest, text.slice(0, 100))
    await expectFallbackTo200(dir, /manifest\.json is not valid JSON/)
    await fs.writeFile(manifest, JSON.stringify({ ...JSON.parse(text), formatVersion: 2 }))
    await expectFallbackTo200(dir, /written by a newer VAE Studio/)
    await fs.writeFile(
      manifest,
      JSON.stringify({ ...JSON.parse(text), tensors: [{ name: 'x', shape: [1e6], dtype: 'float32', offset: 0, bytes: 4e6 }] })
    )
    await expectFallbackTo200(dir, /tensor x lies outside weights\.bin/)
    await fs.rm(manifest)
    await expectFallbackTo200(dir, /manifest\.json is missing/)
  })

  it('when weights.bin is missing from the newest', async () => {
    const dir = await threeCheckpoints()
    await fs.rm(path.join(folder(dir, 300), 'weights.bin'))
    await expectFallbackTo200(dir, /weights\.bin is missing/)
  })

  it('when latest.json is damaged, to the newest valid checkpoint', async () => {
    const dir = await threeCheckpoints()
    await fs.writeFile(projectPaths(dir).latestCheckpoint, '{"name":"../../etc","step":1}')
    const result = await readLatestCheckpoint(dir)
    expect(result).toMatchObject({ name: 'step-000000300', fellBackFrom: 'latest.json' })
    expect(result.problems[0]).toMatch(/^latest\.json is damaged/)
    expectSameBits(result.checkpoint, fakeCheckpoint(300, 300))
  })

  it('not at all when latest.json was never written, unless the newest is broken', async () => {
    const dir = await threeCheckpoints()
    await fs.rm(projectPaths(dir).latestCheckpoint)
    const result = await readLatestCheckpoint(dir)
    expect(result).toMatchObject({ name: 'step-000000300', problems: [] })
    expect(result.fellBackFrom).toBeUndefined()
    expectSameBits(result.checkpoint, fakeCheckpoint(300, 300))
    await fs.rm(path.join(folder(dir, 300), 'weights.bin'))
    await expectFallbackTo200(dir, /weights\.bin is missing/)
  })

  it('to nothing, listing every problem, when no checkpoint is valid', async () => {
    const dir = await threeCheckpoints()
    for (const step of [100, 200, 300]) await fs.rm(path.join(folder(dir, step), 'weights.bin'))
    const result = await readLatestCheckpoint(dir)
    expect(result).toMatchObject({ checkpoint: null, name: null, fellBackFrom: 'step-000000300' })
    expect(result.problems).toHaveLength(3)
  })

  it('preferring an older checkpoint to a leftover from an abandoned later run', async () => {
    const dir = await threeCheckpoints()
    await fs.writeFile(projectPaths(dir).latestCheckpoint, JSON.stringify({ name: 'step-000000200', step: 200 }))
    await fs.rm(path.join(folder(dir, 200), 'weights.bin'))
    const result = await readLatestCheckpoint(dir)
    expect(result).toMatchObject({ name: 'step-000000100', fellBackFrom: 'step-000000200' })
  })
})
