/**
 * The commands that take image numbers read them from 1 and hand the engine dataset rows from 0;
 * a number past the end names the valid range before anything is computed.
 */
import { describe, expect, it } from 'vitest'
import type { ProjectSummary, StudioApi } from '../../../shared/contract'
import { defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import { fakeStudio } from '../../../../test/support/fake-studio'
import type { Reporter } from '../reporter'
import { runArithmetic } from './arithmetic'
import { runAttribute } from './attribute'
import { runDenoise } from './denoise'
import { runInterpolate } from './interpolate'
import { runReconstruct } from './reconstruct'

const image = { width: 1, height: 1, channels: 1 as const, pixels: new Uint8Array(1) }
const project: ProjectSummary = {
  path: '/p.vaeproj',
  name: 'p',
  source: 'demo',
  imageCount: 32,
  imageSize: 32,
  channels: 1,
  model: defaultModelConfig,
  train: defaultTrainConfig,
  checkpoint: { step: 1, epoch: 1, beta: 1 },
  trainState: { state: 'idle' },
  faces: false
}

function studio() {
  return fakeStudio({
    projectOpen: () => project,
    latentInterpolate: ({ frames }) => ({ images: Array.from({ length: frames }, () => image), z: [] }),
    exportPng: () => ({ path: '/out.png', bytes: new Uint8Array() }),
    datasetThumbnails: ({ count }) => Array.from({ length: count }, () => image),
    modelReconstruct: ({ indices }) => indices.map(() => image),
    toolsDenoise: () => ({ clean: image, noisy: image, denoised: image, psnrNoisy: 1, psnrDenoised: 2, ssimNoisy: 0.1, ssimDenoised: 0.2 }),
    latentArithmetic: () => ({ image, z: [0, 0] }),
    attributeCreate: ({ name }) => [{ name, vector: [1, 0], withIndices: [], withoutIndices: [], createdAt: '2024-01-01T00:00:00Z' }],
    attributeApply: ({ amounts }) => ({ images: amounts.map(() => image), z: [] })
  })
}

const records: Array<Record<string, unknown>> = []
const reporter = { record: (_type: string, data: Record<string, unknown>) => records.push(data) } as unknown as Reporter
const run = (command: (args: string[], reporter: Reporter, studio: StudioApi) => Promise<void>, api: StudioApi, ...args: string[]) =>
  command(['/p.vaeproj', ...args], reporter, api)

describe('image numbers from 1 in the commands', () => {
  it('interpolate --from 1 --to 32 goes from dataset row 0 to row 31, and prints the numbers as given', async () => {
    const fake = studio()
    await run(runInterpolate, fake.api, '--from', '1', '--to', '32', '--out', '/tmp/x.png')
    expect(fake.callsOf('latentInterpolate')).toMatchObject([{ a: { index: 0 }, b: { index: 31 } }])
    expect(records.at(-1)).toMatchObject({ from: 1, to: 32 })
  })

  it('interpolate --to 33 on 32 images names the range 1–32 and computes nothing', async () => {
    const fake = studio()
    await expect(run(runInterpolate, fake.api, '--from', '1', '--to', '33', '--out', '/tmp/x.png')).rejects.toThrow(
      "there is no image 33; this project's images are numbered from 1 to 32"
    )
    expect(fake.callsOf('latentInterpolate')).toEqual([])
  })

  it('reconstruct starts at image 1 (row 0) unless told, and --from 31 takes the last two', async () => {
    const fake = studio()
    await run(runReconstruct, fake.api, '--out', '/tmp/r.png', '--count', '2')
    await run(runReconstruct, fake.api, '--out', '/tmp/r.png', '--from', '31')
    expect(fake.callsOf('modelReconstruct')).toEqual([{ indices: [0, 1] }, { indices: [30, 31] }])
  })

  it('denoise, arithmetic and attribute convert every number they take', async () => {
    const fake = studio()
    await run(runDenoise, fake.api, '--image', '1', '--out', '/tmp/d.png')
    await run(runArithmetic, fake.api, '--a', '1,2', '--b', '3', '--c', '32', '--out', '/tmp/a.png')
    await run(runAttribute, fake.api, '--name', 'g', '--with', '1,5', '--without', '2,6', '--apply', '7', '--out', '/tmp/g.png')
    expect(fake.callsOf('toolsDenoise')).toMatchObject([{ index: 0 }])
    expect(fake.callsOf('latentArithmetic')).toEqual([{ a: [0, 1], b: [2], c: [31] }])
    expect(records.find((r) => 'a' in r)).toMatchObject({ a: [1, 2], b: [3], c: [32] })
    expect(fake.callsOf('attributeCreate')).toEqual([{ name: 'g', withIndices: [0, 4], withoutIndices: [1, 5] }])
    expect(fake.callsOf('attributeApply')).toMatchObject([{ ref: { index: 6 } }])
  })
})
