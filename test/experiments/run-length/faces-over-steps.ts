/**
 * How many steps a small face set needs before its samples look like faces: trains the default
 * model (the studio's defaults but for the run length) on a folder for a wall-clock budget,
 * keeping the weights at a schedule of steps, then measures the face Fréchet distance of each
 * (the studio's `measureSampleQuality`, 256 samples, seed 0, as `vae-studio evaluate`). This is
 * what the recommended run length (src/shared/run-length.ts) is drawn from.
 *   npx tsx test/experiments/run-length/faces-over-steps.ts --folder DIR [--faces on|off] [--minutes 10] [--count 40]
 * `--count` imports a spread subset of the folder's files (every k-th file), to try a small set.
 */
import { promises as fs } from 'node:fs'
import { fitCodeSampler } from '../../../src/main/engine/sampling/code-sampler'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { defaultImportOptions, defaultModelConfig, defaultTrainConfig } from '../../../src/shared/config'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { composeGrid, encodePng } from '../../../src/main/engine/image/png'
import { decodeCodes, sampleCodes } from '../../../src/main/engine/inference/inference'
import { openDataset } from '../../../src/main/engine/dataset/open-dataset'
import { VaeModel } from '../../../src/main/engine/model/vae-model'
import type { NamedArray } from '../../../src/main/engine/project/checkpoint-manifest'
import { projectPaths } from '../../../src/main/engine/project/project-paths'
import { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import { heldOutFaces, heldOutRows, referenceFaces, referenceRows } from '../../../src/main/engine/quality/reference-faces'
import { measureSampleQuality } from '../../../src/main/engine/quality/sample-quality'
import { engineHandlers } from '../../../src/main/engine/session/engine-handlers'
import { EngineSession } from '../../../src/main/engine/session/engine-session'
import { splitIndices } from '../../../src/main/engine/train/data-split'
import { Trainer } from '../../../src/main/engine/train/trainer'

const { values } = parseArgs({
  options: {
    folder: { type: 'string' },
    faces: { type: 'string', default: 'on' },
    minutes: { type: 'string', default: '10' },
    count: { type: 'string' },
    batch: { type: 'string' },
    workers: { type: 'string', default: '2' },
    /** A folder for a 4×4 sample grid (seed 7) per kept step, to look at. */
    grids: { type: 'string' }
  }
})

/** Steps whose weights are kept: dense early (where faces appear), sparser later. */
function kept(step: number): boolean {
  if (step <= 200) return step % 25 === 0
  if (step <= 1000) return step % 50 === 0
  return step % 100 === 0
}

async function subsetFolder(folder: string, count: number, into: string): Promise<string> {
  const files = (await fs.readdir(folder)).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort()
  const every = Math.max(1, Math.floor(files.length / count))
  const dir = path.join(into, 'subset')
  await fs.mkdir(dir)
  for (const file of files.filter((_, i) => i % every === 0).slice(0, count))
    await fs.copyFile(path.join(folder, file), path.join(dir, file))
  return dir
}

async function main(): Promise<void> {
  const backend = await selectBackend('wasm')
  const root = await fs.mkdtemp(path.join(tmpdir(), 'vae-run-length-'))
  const folder = values.count ? await subsetFolder(values.folder!, Number(values.count), root) : values.folder!
  const session = new EngineSession(() => undefined, backend)
  const studio = engineHandlers(session)
  const project = path.join(root, 'faces.vaeproj')
  await studio.projectCreate({ path: project })
  const imported = await studio.datasetImport({
    folder,
    options: { ...defaultImportOptions, faces: { ...defaultImportOptions.faces, find: values.faces === 'on' } }
  })
  const data = await openDataset(projectPaths(project).datasetDir)
  const config = {
    ...defaultTrainConfig,
    length: { unit: 'minutes' as const, amount: Number(values.minutes) },
    batchSize: values.batch ? Number(values.batch) : defaultTrainConfig.batchSize,
    checkpointEverySteps: 25,
    quality: false
  }
  const split = splitIndices(data.count, config.valFraction, config.seed)
  console.log(
    JSON.stringify({ folder, images: data.count, imported: imported.imported, train: split.train.length, batch: config.batchSize })
  )

  const model = { ...defaultModelConfig, imageSize: data.size as 64, channels: data.channels }
  const vae = new VaeModel(model, config.seed)
  const weights = new Map<number, NamedArray[]>()
  let final: { step: number; tensors: NamedArray[] } | null = null
  const times: Array<{ step: number; at: number }> = []
  const t0 = performance.now()
  const trainer: Trainer = new Trainer({
    model: vae,
    config,
    data,
    workers: Number(values.workers),
    store: {
      saveCheckpoint: async (c) => {
        final = { step: c.step, tensors: c.tensors }
        if (kept(c.step) && !weights.has(c.step)) weights.set(c.step, c.tensors)
      },
      appendHistory: async () => undefined
    },
    events: {
      progress: (p) => times.push({ step: p.step, at: (performance.now() - t0) / 1000 }),
      epoch: () => undefined,
      state: () => undefined,
      notice: () => undefined
    }
  })
  await trainer.run()
  await trainer.dispose()
  const last = times.at(-1)!
  const saved = final as { step: number; tensors: NamedArray[] } | null
  if (saved) weights.set(saved.step, saved.tensors)
  console.log(JSON.stringify({ trained: last, stepsPerSec: +(last.step / last.at).toFixed(3) }))

  const embedder = await FaceEmbedder.start({ workers: 2 })
  const reference = await referenceFaces(embedder, data, referenceRows(data.count))
  const heldOut = await heldOutFaces(embedder, data, heldOutRows(data.count, split.val))
  console.log(JSON.stringify({ floor: reference.floor }))
  const measured = new VaeModel(model, config.seed)
  for (const [step, tensors] of [...weights].sort((a, b) => a[0] - b[0])) {
    measured.loadWeightArrays(tensors)
    const sampler = fitCodeSampler(measured, data, split.train)
    const q = await measureSampleQuality({
      model: measured,
      data,
      embedder,
      reference,
      heldOut,
      sampler,
      samples: 256,
      seed: 0,
      temperature: 1
    })
    if (values.grids) {
      const grid = composeGrid(decodeCodes(measured, sampleCodes(model.latentDim, 16, 1, 7)), 4)
      await fs.mkdir(values.grids, { recursive: true })
      await fs.writeFile(path.join(values.grids, `step-${String(step).padStart(5, '0')}.png`), await encodePng(grid))
    }
    const at = times.find((t) => t.step === step)?.at ?? 0
    console.log(
      JSON.stringify({ step, at: +at.toFixed(0), frechet: +q.frechet.toFixed(4), kid: +q.kid.toFixed(4), identity: +q.identity.toFixed(3) })
    )
  }
  measured.dispose()
  vae.dispose()
  await embedder.dispose()
  await session.dispose()
  await fs.rm(root, { recursive: true, force: true })
}

void main()
