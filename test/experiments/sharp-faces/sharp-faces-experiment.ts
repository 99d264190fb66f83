/**
 * The sharp-faces experiment: train the studio's β-VAE on Olivetti (64 px grey, face finding off,
 * 10 % held out, β = 1, Adam 1e-3 unless given) with one option — decoder kind or reconstruction kind — on
 * worker threads through the app's own Trainer, and measure every figure at FIXED
 * STEP COUNTS (the machine is shared, so wall-clock budgets would compare unequal training). At
 * each count the run pauses, the live weights are measured, and the run goes on.
 * Every result is a JSON line on stdout and in out/results.jsonl; sample grids go to out/.
 *
 *   npx tsx test/experiments/sharp-faces/sharp-faces-experiment.ts --name base --decoder transposed-3x3
 *     [--recon bce|mse|gaussian] [--batch 32] [--steps 1000,3000] [--workers 2] [--init SEED of the initial weights (1)] [--speed STEPS: only img/s over STEPS steps after 20 warm-up steps]
 *     [--sharpen W --sharpen-after STEP: the adversarial sharpen option] [--lr RATE: Adam's learning rate]
 *     [--encoder-filters N: the encoder's first-block filters (a new project's 16; 32 before 2026-12-08)]
 */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { defaultModelConfig, defaultTrainConfig, modelConfigSchema, type ModelConfig, type TrainConfig } from '../../../src/shared/config'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { VaeModel } from '../../../src/main/engine/model/vae-model'
import { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import { splitIndices } from '../../../src/main/engine/train/data-split'
import { Trainer } from '../../../src/main/engine/train/trainer'
import { measureContext, measureModel, type MeasureContext } from './measure'
import { olivetti, outDir } from './olivetti'
import { saveWeights } from './saved-weights'
import { parseArgs } from '../parse-args'

const args = parseArgs(process.argv.slice(2))
const name = args.name ?? 'run'
const numbers = (list: string): number[] => list.split(',').filter(Boolean).map(Number)
const targets = numbers(args.steps ?? '1000,3000')
const speedSteps = args.speed ? Number(args.speed) : null

const model: ModelConfig = modelConfigSchema.parse({
  ...defaultModelConfig,
  imageSize: 64,
  channels: 1,
  latentDim: 32,
  recon: args.recon ?? 'bce',
  decoder: args.decoder ?? defaultModelConfig.decoder,
  encoderFilters: Number(args['encoder-filters'] ?? defaultModelConfig.encoderFilters)
})
const train: TrainConfig = {
  ...defaultTrainConfig,
  length: { unit: 'epochs', amount: 100_000 },
  batchSize: Number(args.batch ?? 32),
  learningRate: Number(args.lr ?? 1e-3),
  beta: Number(args.beta ?? 1),
  valFraction: 0.1,
  checkpointEverySteps: 1_000_000,
  quality: false,
  sharpen: Number(args.sharpen ?? 0),
  sharpenAfter: Number(args['sharpen-after'] ?? defaultTrainConfig.sharpenAfter)
}

async function emit(record: Record<string, unknown>): Promise<void> {
  const line = JSON.stringify({ name, ...record })
  console.log(line)
  await fs.appendFile(path.join(outDir, 'results.jsonl'), line + '\n')
}

async function main(): Promise<void> {
  await fs.mkdir(outDir, { recursive: true })
  await selectBackend('wasm')
  const data = await olivetti()
  const { val } = splitIndices(data.count, train.valFraction, train.seed)
  // --init varies the initial weights only: the split, batch order and noise stay those of seed 1.
  const vae = new VaeModel(model, Number(args.init ?? train.seed))
  const stopAt = speedSteps === null ? Math.max(...targets) : 20 + speedSteps
  const timing = { steps: 0, ms: 0, last: 0 }
  const imgPerSec = (): number => (timing.steps * train.batchSize) / (timing.ms / 1000)
  const base = {
    decoder: model.decoder,
    encoderFilters: model.encoderFilters,
    recon: model.recon,
    batch: train.batchSize,
    workers: Number(args.workers ?? 2),
    init: Number(args.init ?? train.seed),
    ...(train.sharpen > 0 ? { sharpen: train.sharpen, sharpenAfter: train.sharpenAfter } : {})
  }
  const embedder = speedSteps === null ? await FaceEmbedder.start({ workers: 2 }) : null
  const ctx: MeasureContext | null = embedder && (await measureContext(data, val, embedder))
  // Checkpoints come at every target step; the run waits while one is measured.
  const measured = new VaeModel(model, 0)
  const trainer = new Trainer({
    model: vae,
    config: { ...train, checkpointEverySteps: gcd(targets) },
    data,
    workers: Number(args.workers ?? 2),
    store: {
      saveCheckpoint: async (checkpoint) => {
        if (!ctx || !targets.includes(checkpoint.step)) return
        measured.loadWeightArrays(checkpoint.tensors)
        await saveWeights(measured, path.join(outDir, `${name}-${checkpoint.step}.weights.json`))
        const record = { ...base, kind: 'figures', step: checkpoint.step, imgPerSec: imgPerSec(), load: os.loadavg() }
        await emit({ ...record, ...(await measureModel(measured, ctx, path.join(outDir, `${name}-${checkpoint.step}`))) })
        timing.last = 0
      },
      appendHistory: async () => undefined
    },
    events: {
      progress: (p) => {
        const now = performance.now()
        // img/s over uninterrupted steps after a warm-up, never across a measurement pause.
        if (p.step > 20 && timing.last > 0) {
          timing.steps++
          timing.ms += now - timing.last
        }
        timing.last = now
        if (p.step >= stopAt) trainer.stop()
      },
      epoch: () => undefined,
      state: () => undefined,
      notice: (n) => console.error(`notice at step ${n.step}: ${n.message}`)
    }
  })
  await trainer.run()
  if (speedSteps !== null) await emit({ ...base, kind: 'speed', steps: timing.steps, imgPerSec: imgPerSec(), load: os.loadavg() })
  await trainer.dispose()
  await embedder?.dispose()
  measured.dispose()
  vae.dispose()
}

function gcd(values: readonly number[]): number {
  const two = (a: number, b: number): number => (b === 0 ? a : two(b, a % b))
  return values.reduce(two)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
