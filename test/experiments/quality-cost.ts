/**
 * What background sample-quality measuring costs training: trains the same model on a face folder
 * for a fixed wall-clock time with `quality` off, then on (cold: nothing cached), then on again
 * (warm: the real faces' embeddings cached in the project), and prints img/s and the points.
 *   npx tsx test/experiments/quality-cost.ts [--faces DIR] [--seconds 180]
 */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { defaultImportOptions, defaultModelConfig, defaultTrainConfig } from '../../src/shared/config'
import type { TrainProgress, TrainState } from '../../src/shared/events'
import type { QualityPoint } from '../../src/shared/results'
import { selectBackend } from '../../src/main/engine/backend/select-backend'
import { engineHandlers } from '../../src/main/engine/session/engine-handlers'
import { EngineSession } from '../../src/main/engine/session/engine-session'
import { faceSet } from '../support/datasets'

const { values } = parseArgs({ options: { faces: { type: 'string' }, seconds: { type: 'string' } } })
const seconds = Number(values.seconds ?? 180)

async function run(project: string, folder: string, quality: boolean, fresh: boolean): Promise<Record<string, unknown>> {
  const progress: Array<TrainProgress & { at: number }> = []
  const points: Array<QualityPoint & { at: number }> = []
  let ended: (s: TrainState) => void = () => undefined
  const t0 = performance.now()
  const engine = new EngineSession(
    (event, payload) => {
      if (event === 'train:progress') progress.push({ ...(payload as TrainProgress), at: (performance.now() - t0) / 1000 })
      if (event === 'quality:point') points.push({ ...(payload as QualityPoint), at: (performance.now() - t0) / 1000 })
      if (event === 'train:state' && ['finished', 'stopped', 'failed'].includes((payload as TrainState).state)) ended(payload as TrainState)
    },
    { name: 'wasm', available: ['wasm'] }
  )
  const s = engineHandlers(engine)
  if (fresh) {
    await s.projectCreate({ path: project })
    await s.datasetImport({
      folder,
      options: { ...defaultImportOptions, size: 64, channels: 1, faces: { ...defaultImportOptions.faces, find: false } }
    })
  } else await s.projectOpen({ path: project })
  const end = new Promise<TrainState>((resolve) => (ended = resolve))
  const started = performance.now()
  await s.trainStart({
    model: { ...defaultModelConfig, imageSize: 64, channels: 1, latentDim: 32, recon: 'bce' },
    train: {
      ...defaultTrainConfig,
      length: { unit: 'epochs', amount: 100_000 },
      batchSize: 32,
      valFraction: 0.1,
      checkpointEverySteps: 100,
      quality
    }
  })
  const timer = setTimeout(() => void s.trainStop(), seconds * 1000)
  await end
  clearTimeout(timer)
  const wall = (performance.now() - started) / 1000
  const steps = progress.length
  await engine.dispose()
  const images = progress.length * 32
  // Training speed inside the measurements' windows and outside them.
  const windows = points.map((p) => [p.at - p.seconds, p.at])
  const inside = progress.filter((p) => windows.some(([a, b]) => p.at >= a && p.at <= b)).length
  const measuring = windows.reduce((sum, [a, b]) => sum + (b - a), 0)
  const firstStep = progress[0]?.at ?? 0
  const lastStep = progress.at(-1)?.at ?? 0
  return {
    during: measuring > 0 ? +((inside * 32) / measuring).toFixed(1) : null,
    outside: +(((progress.length - inside) * 32) / Math.max(1, lastStep - firstStep - measuring)).toFixed(1),
    measuringSeconds: +measuring.toFixed(1),
    quality,
    fresh,
    wall: +wall.toFixed(1),
    steps,
    imgPerSec: +(images / wall).toFixed(2),
    points: points.map((p) => ({
      step: p.step,
      at: +p.at.toFixed(0),
      seconds: +p.seconds.toFixed(1),
      frechet: +p.frechet.toFixed(4),
      identity: +p.identity.toFixed(3)
    }))
  }
}

async function main(): Promise<void> {
  await selectBackend('wasm')
  const folder = values.faces ?? faceSet('olivetti_faces_64')
  if (!folder) return
  const root = await fs.mkdtemp(path.join(tmpdir(), 'vae-quality-cost-'))
  try {
    console.log(JSON.stringify(await run(path.join(root, 'off.vaeproj'), folder, false, true)))
    console.log(JSON.stringify(await run(path.join(root, 'on.vaeproj'), folder, true, true)))
    console.log(JSON.stringify(await run(path.join(root, 'on.vaeproj'), folder, true, false)))
  } finally {
    await fs.rm(root, { recursive: true, force: true })
  }
}

void main()
