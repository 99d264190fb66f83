/** `vae-studio evaluate --json` and the quality line of `info`, on a tiny project trained in-process. */
import { spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { TrainState } from '../../shared/events'
import { smallModel, smallTrain, tempDir, useWasm } from '../../../test/support/small-setup'
import { engineHandlers } from '../engine/session/engine-handlers'
import { EngineSession } from '../engine/session/engine-session'

const bin = path.resolve(__dirname, '../../../bin/vae-studio.js')
let root: string

beforeAll(async () => {
  await useWasm()
  root = await tempDir('cli-evaluate')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

it('evaluate --json gives the figures with their floor, and info shows them', { timeout: 300_000 }, async () => {
  const project = path.join(root, 'faces.vaeproj')
  let ended: (s: TrainState) => void = () => undefined
  const engine = new EngineSession(
    (event, payload) => {
      if (event === 'train:state' && ['finished', 'stopped', 'failed'].includes((payload as TrainState).state)) ended(payload as TrainState)
    },
    { name: 'wasm', available: ['wasm'] }
  )
  const session = engineHandlers(engine)
  await session.projectCreate({ path: project })
  await session.datasetDemo({ count: 48, seed: 3, size: 32 })
  const end = new Promise<TrainState>((resolve) => (ended = resolve))
  await session.trainStart({ model: smallModel, train: smallTrain({ epochs: 2 }) })
  expect((await end).state).toBe('finished')
  await engine.dispose()

  const run = spawnSync(process.execPath, [bin, 'evaluate', project, '--samples', '16', '--seed', '2', '--json'], {
    encoding: 'utf8',
    timeout: 240_000,
    cwd: root
  })
  expect(run.status, run.stderr).toBe(0)
  const result = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((r) => r.type === 'result')!
  expect(result).toMatchObject({ samples: 16, reference: 48, temperature: 1, heldOut: 9, step: 6 })
  for (const key of ['frechet', 'kid', 'kidStd', 'identity', 'seconds']) expect(Number.isFinite(result[key]), key).toBe(true)
  expect((result.floor as { frechet: number }).frechet).toBeLessThan(result.frechet as number)

  const info = spawnSync(process.execPath, [bin, 'info', project], { encoding: 'utf8', timeout: 240_000, cwd: root })
  expect(info.status, info.stderr).toBe(0)
  expect(info.stdout).toMatch(/face Fréchet distance \d\.\d{3} \(floor \d\.\d{3}: two halves of the real faces\)/)
  expect(info.stdout).toMatch(/identity similarity/)
})

it(
  'says once why an untrained project cannot be evaluated, and reports a damaged quality.json (set aside) in evaluate and info',
  { timeout: 300_000 },
  async () => {
    const project = path.join(root, 'untrained.vaeproj')
    const engine = new EngineSession(() => undefined, { name: 'wasm', available: ['wasm'] })
    const session = engineHandlers(engine)
    await session.projectCreate({ path: project })
    await session.datasetDemo({ count: 48, seed: 3, size: 32 })
    await engine.dispose()
    await fs.writeFile(path.join(project, 'quality.json'), '{"version": 1, "points": [{"step": 4 "frechet": 1}')

    const run = spawnSync(process.execPath, [bin, 'evaluate', project], { encoding: 'utf8', timeout: 240_000, cwd: root })
    expect(run.status).toBe(1)
    const said = `${run.stdout}${run.stderr}`
    expect(said.match(/not been trained|no checkpoint|train/g)?.length, said).toBeGreaterThan(0)
    const lines = said.split('\n').filter((l) => l.trim() !== '')
    const reason = lines.find((l) => l.startsWith('vae-studio: '))!
    expect(lines.filter((l) => l.includes(reason.slice('vae-studio: '.length)))).toHaveLength(1)
    expect(said).toMatch(
      /note: quality\.json was damaged \(not valid JSON: .*\): (no measurement could be read from it|0 of its 1 measurements were kept); the file as it was is kept as quality\.damaged-/
    )
    expect((await fs.readdir(project)).filter((f) => f.startsWith('quality.damaged-'))).toHaveLength(1)

    await fs.writeFile(path.join(project, 'quality.json'), '{"version": 1, "points": [{"step": 4}]}')
    const info = spawnSync(process.execPath, [bin, 'info', project], { encoding: 'utf8', timeout: 240_000, cwd: root })
    expect(info.status, info.stderr).toBe(0)
    expect(info.stdout).toMatch(/note: quality\.json was damaged \(measurement 1: .*\): 0 of its 1 measurements were kept/)
  }
)
