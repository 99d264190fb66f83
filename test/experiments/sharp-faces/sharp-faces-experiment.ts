/**
 * The sharp-faces experiment: train the studio's β-VAE on Olivetti (64 px grey, face finding off,
 * 10 % held out, β = 1, Adam 1e-3) with one option — decoder kind, reconstruction kind, perceptual
 * weight — on worker threads through the app's own Trainer, and measure every figure at FIXED
 * STEP COUNTS (the machine is shared, so wall-clock budgets would compare unequal training). At
 * each count the run pauses, the live weights and their EMAs are measured, and the run goes on.
 * Every result is a JSON line on stdout and in out/results.jsonl; sample grids go to out/.
 *
 *   npx tsx test/experiments/sharp-faces/sharp-faces-experiment.ts --name base --decoder transposed-3x3
 *     [--recon bce|mse|gaussian] [--batch 32] [--steps 1000,3000] [--ema 0.999,0.995f | '' (f: fixed decay, else warm-up)] [--workers 2]
 *     [--perceptual 0] [--init SEED of the initial weights (1)] [--speed STEPS: only img/s over STEPS steps after 20 warm-up steps]
 */
import { existsSync, promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { defaultFaceImport, defaultModelConfig, defaultTrainConfig, modelConfigSchema, type ModelConfig, type TrainConfig } from '../../../src/shared/config'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { importFolder } from '../../../src/main/engine/dataset/import-folder'
import { openDataset, type OpenedDataset } from '../../../src/main/engine/dataset/open-dataset'
import { VaeModel } from '../../../src/main/engine/model/vae-model'
import { WeightEma } from '../../../src/main/engine/model/weight-ema'
import { FaceEmbedder, datasetImages, referenceFaces, sampleRows } from '../../../src/main/engine/quality'
import { setSpectrum } from '../../../src/main/engine/quality/spectrum'
import { splitIndices } from '../../../src/main/engine/train/data-split'
import { Trainer } from '../../../src/main/engine/train/trainer'
import { measureModel, type MeasureContext } from './measure'
import { objectiveWorker } from './objective-worker'
import { saveWeights } from './saved-weights'

const args = parseArgs(process.argv.slice(2))
const name = args.name ?? 'run'
const outDir = path.join(__dirname, 'out')
const datasets = process.env.VAE_STUDIO_DATASETS ?? '/work/shared/datasets'
const numbers = (list: string): number[] => list.split(',').filter(Boolean).map(Number)
const targets = numbers(args.steps ?? '1000,3000')
/** EMA decays; a trailing 'f' means a fixed decay from the start, else TensorFlow's warm-up rule. */
const emaSpecs = (args.ema ?? '0.999,0.995f').split(',').filter(Boolean)
const speedSteps = args.speed ? Number(args.speed) : null

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1]
  return out
}

const model: ModelConfig = modelConfigSchema.parse({
  ...defaultModelConfig,
  imageSize: 64,
  channels: 1,
  latentDim: 32,
  recon: args.recon ?? 'bce',
  decoder: args.decoder ?? defaultModelConfig.decoder
})
const perceptual = Number(args.perceptual ?? 0)
const train: TrainConfig = {
  ...defaultTrainConfig,
  epochs: 100_000,
  batchSize: Number(args.batch ?? 32),
  learningRate: 1e-3,
  beta: 1,
  valFraction: 0.1,
  checkpointEverySteps: 1_000_000,
  quality: false
}

async function emit(record: Record<string, unknown>): Promise<void> {
  const line = JSON.stringify({ name, ...record })
  console.log(line)
  await fs.appendFile(path.join(outDir, 'results.jsonl'), line + '\n')
}

/** Olivetti imported once (grey 64 px, whole files) and kept in out/. */
async function olivetti(): Promise<OpenedDataset> {
  const dir = path.join(outDir, 'olivetti-64-grey')
  if (!existsSync(path.join(dir, 'dataset'))) {
    await importFolder(path.join(datasets, 'olivetti_faces_64'), dir, { size: 64, fit: 'crop', channels: 1, maxPixels: 100_000_000, faces: { ...defaultFaceImport, find: false } })
  }
  return openDataset(dir)
}

async function main(): Promise<void> {
  await fs.mkdir(outDir, { recursive: true })
  await selectBackend('wasm')
  const data = await olivetti()
  const { val } = splitIndices(data.count, train.valFraction, train.seed)
  // --init varies the initial weights only: the split, batch order and noise stay those of seed 1.
  const vae = new VaeModel(model, Number(args.init ?? train.seed))
  const emas = emaSpecs.map((spec) => ({ label: `ema-${spec}`, ema: new WeightEma(Number(spec.replace(/f$/, '')), !spec.endsWith('f')) }))
  const stopAt = speedSteps === null ? Math.max(...targets) : 20 + speedSteps
  const timing = { steps: 0, ms: 0, last: 0 }
  let reached: ((step: number) => void) | null = null
  const trainer = new Trainer({
    model: vae,
    config: train,
    data,
    workers: Number(args.workers ?? 2),
    startWorker: perceptual > 0 ? objectiveWorker : undefined,
    store: { saveCheckpoint: async () => undefined, appendHistory: async () => undefined },
    events: {
      progress: (p) => {
        const now = performance.now()
        // img/s over uninterrupted steps after a warm-up, never across a measurement pause.
        if (p.step > 20 && timing.last > 0) {
          timing.steps++
          timing.ms += now - timing.last
        }
        timing.last = now
        if (emas.length > 0) {
          const weights = trainer.syncModel().weightArrays()
          for (const { ema } of emas) ema.update(weights)
        }
        if (p.step >= stopAt) trainer.stop()
        else if (targets.includes(p.step) && speedSteps === null) {
          trainer.pause()
          reached?.(p.step)
        }
      },
      epoch: () => undefined,
      state: () => undefined,
      notice: (n) => console.error(`notice at step ${n.step}: ${n.message}`)
    }
  })
  const imgPerSec = (): number => (timing.steps * train.batchSize) / (timing.ms / 1000)
  const base = { decoder: model.decoder, recon: model.recon, perceptual, batch: train.batchSize, workers: Number(args.workers ?? 2), init: Number(args.init ?? train.seed) }
  const running = trainer.run()
  if (speedSteps !== null) {
    await running
    await emit({ ...base, kind: 'speed', steps: timing.steps, imgPerSec: imgPerSec(), load: os.loadavg() })
    await trainer.dispose()
    vae.dispose()
    return
  }

  const embedder = await FaceEmbedder.start({ workers: 2 })
  const referenceRows = sampleRows(data.count, 512, 0)
  const ctx: MeasureContext = {
    data,
    heldOut: val,
    embedder,
    reference: await referenceFaces(embedder, data, referenceRows),
    realSpectrum: { periodic: setSpectrum(datasetImages(data, referenceRows), 'periodic'), wrap: setSpectrum(datasetImages(data, referenceRows), 'wrap') }
  }
  for (const target of targets) {
    if (target < stopAt) {
      await new Promise<void>((resolve) => (reached = (step) => step === target && resolve()))
      timing.last = 0
    } else await running
    trainer.syncModel()
    await saveWeights(vae, path.join(outDir, `${name}-${target}.weights.json`))
    const record = { ...base, kind: 'figures', step: target, imgPerSec: imgPerSec(), load: os.loadavg() }
    await emit({ ...record, weights: 'live', ...(await measureModel(vae, ctx, path.join(outDir, `${name}-${target}`))) })
    for (const { label, ema } of emas) {
      const averaged = new VaeModel(model, 0)
      averaged.loadWeightArrays(ema.weights()!)
      await emit({ ...record, weights: label, ...(await measureModel(averaged, ctx, path.join(outDir, `${name}-${target}-${label}`))) })
      averaged.dispose()
    }
    if (target < stopAt) trainer.resume()
  }
  await trainer.dispose()
  await embedder.dispose()
  vae.dispose()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
