/**
 * The experiment that decides which sampling options ship: train the studio's β-VAE on each face
 * set for the quality bench's budget, then, at that one checkpoint, compare the face Fréchet
 * distance and KID of samples drawn from the prior (at several temperatures), from Gaussian
 * mixtures fitted to μ or to z ~ q(z|x), from the aggregate posterior q(z), and from a
 * second-stage VAE. Rule: an option ships only if it lowers the Fréchet distance by ≥ 10 % on at
 * least two face sets. Every figure is printed as a JSON line (and appended to --out).
 *
 *   npx tsx test/experiments/sampling/sampling-experiment.ts [--seconds 180 | --steps N] [--samples 512]
 *     [--seeds 2] [--sets olivetti_faces_64,orl_faces,frey_faces] [--temperatures 1.2,1,0.9,0.8,0.7]
 *     [--fitted-temperatures 1] [--workers 2: training threads and the face net's] [--cache DIR] [--out FILE]
 */
import { promises as fs } from 'node:fs'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import {
  defaultFaceImport,
  defaultModelConfig,
  defaultRecon,
  defaultTrainConfig,
  type ModelConfig,
  type TrainConfig
} from '../../../src/shared/config'
import { suggestedBeta } from '../../../src/shared/model-choices'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { importFolder } from '../../../src/main/engine/dataset/import-folder'
import { openDataset } from '../../../src/main/engine/dataset/open-dataset'
import { decodeCodes, encodeRows } from '../../../src/main/engine/inference/inference'
import { VaeModel } from '../../../src/main/engine/model/vae-model'
import { splitIndices } from '../../../src/main/engine/train/data-split'
import { Trainer } from '../../../src/main/engine/train/trainer'
import { chooseMixture } from '../../../src/main/engine/sampling/choose-mixture'
import { referenceFaces } from '../../../src/main/engine/quality/reference-faces'
import { distanceToReference } from '../../../src/main/engine/quality/sample-quality'
import { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import { frechetDistance, frechetStats } from '../../../src/main/engine/quality/frechet-distance'
import { frechetInfinity } from './frechet-infinity'
import { identitySimilarity } from '../../../src/main/engine/quality/identity-similarity'
import { aggregatePosterior, mixtureSampler, posteriorCodes, priorSampler, type LatentSampler } from './latent-samplers'
import { TwoStageVae } from './two-stage-vae'
import { parseArgs } from '../parse-args'
import { datasetsRoot } from '../../support/datasets'

const args = parseArgs(process.argv.slice(2))
const seconds = Number(args.seconds ?? 180)
/** Train to this many steps instead of for `seconds` (a loaded machine takes fewer steps in 180 s). */
const maxSteps = args.steps ? Number(args.steps) : null
const sampleCount = Number(args.samples ?? 512)
const seedCount = Number(args.seeds ?? 2)
const numbers = (list: string): number[] => list.split(',').filter(Boolean).map(Number)
const priorTemperatures = numbers(args.temperatures ?? '1.2,1,0.9,0.8,0.7')
/** Empty (`--fitted-temperatures ''`) skips the fitted samplers and their (slow, on big sets) fits. */
const fittedTemperatures = numbers(args['fitted-temperatures'] ?? '1')
const sets = (args.sets ?? 'olivetti_faces_64,orl_faces,frey_faces').split(',')
const outFile = args.out

/** Embeddings kept beside the weight cache, so figures can be recomputed without embedding again. */
async function saveEmbeddings(name: string, rows: Float32Array[]): Promise<void> {
  if (!args.cache) return
  const flat = new Float32Array(rows.length * 128)
  rows.forEach((r, i) => flat.set(r, i * 128))
  await fs.mkdir(path.join(args.cache, 'embeddings'), { recursive: true })
  await fs.writeFile(path.join(args.cache, 'embeddings', `${name}${maxSteps ? `-${maxSteps}steps` : `-${seconds}s`}.f32`), flat)
}

async function emit(record: Record<string, unknown>): Promise<void> {
  const line = JSON.stringify(record)
  console.log(line)
  if (outFile) await fs.appendFile(outFile, line + '\n')
}

// A new project's model and training (its loss, the β that comes with it, its learning rate) at the bench's batch.
const model: ModelConfig = { ...defaultModelConfig, imageSize: 64, channels: 1, latentDim: 32, recon: defaultRecon }
const train: TrainConfig = {
  ...defaultTrainConfig,
  length: { unit: 'epochs', amount: 100_000 },
  batchSize: 32,
  beta: suggestedBeta[defaultRecon],
  valFraction: 0.1,
  checkpointEverySteps: 1_000_000
}

/** Trains for the budget (or loads the weights a previous run cached for this set). */
async function trainedModel(
  set: string,
  data: Awaited<ReturnType<typeof openDataset>>
): Promise<{ vae: VaeModel; steps: number; epochs: number; valLoss: number; trainSeconds: number }> {
  const vae = new VaeModel(model, train.seed)
  const cache = args.cache ? path.join(args.cache, maxSteps ? `${set}-${maxSteps}steps.json` : `${set}-${seconds}s.json`) : null
  if (cache && existsSync(cache)) {
    const saved = JSON.parse(await fs.readFile(cache, 'utf8'))
    const floats = (base64: string): Float32Array => {
      // Small buffers share Node's pool: copy exactly this one's bytes.
      const bytes = Buffer.from(base64, 'base64')
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    }
    vae.loadWeightArrays(saved.weights.map((w: { name: string; shape: number[]; data: string }) => ({ ...w, data: floats(w.data) })))
    return { vae, ...saved.figures }
  }
  let steps = 0
  let epochs = 0
  let valLoss = NaN
  const trainer = new Trainer({
    model: vae,
    config: train,
    data,
    workers: Number(args.workers ?? 2),
    store: { saveCheckpoint: async () => undefined, appendHistory: async () => undefined },
    events: {
      progress: (p) => {
        steps = p.step
        if (maxSteps !== null && steps >= maxSteps) trainer.stop()
      },
      epoch: (e) => ((epochs = e.epoch), (valLoss = e.valLoss)),
      state: () => undefined,
      notice: () => undefined
    }
  })
  const t0 = performance.now()
  const timer = setTimeout(() => trainer.stop(), maxSteps === null ? seconds * 1000 : 2 ** 31 - 1)
  await trainer.run()
  clearTimeout(timer)
  trainer.dispose()
  const figures = { steps, epochs, valLoss, trainSeconds: (performance.now() - t0) / 1000 }
  if (cache) {
    await fs.mkdir(path.dirname(cache), { recursive: true })
    const weights = vae
      .weightArrays()
      .map((w) => ({ ...w, data: Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).toString('base64') }))
    await fs.writeFile(cache, JSON.stringify({ figures, weights }))
  }
  return { vae, ...figures }
}

interface Row {
  sampler: LatentSampler
  temperature: number
  note: string
}

/** Mixtures on μ and on z draws (K by held-out likelihood), the aggregate posterior and a second-stage VAE. */
async function fittedSamplers(set: string, enc: { mu: number[][]; logVar: number[][] }): Promise<{ rows: Row[]; dispose: () => void }> {
  const zCodes = posteriorCodes(enc.mu, enc.logVar, 10, 1)
  // Draws are image after image, 10 rounds: a draw's image is its index modulo the image count.
  const zGroups = zCodes.map((_, i) => i % enc.mu.length)
  const fits = {
    'gmm-mu-diag': chooseMixture(enc.mu, { covariance: 'diag', seed: 1 }),
    'gmm-mu-full': chooseMixture(enc.mu, { covariance: 'full', seed: 1 }),
    'gmm-z-diag': chooseMixture(zCodes, { covariance: 'diag', seed: 1, groups: zGroups }),
    'gmm-z-full': chooseMixture(zCodes, { covariance: 'full', seed: 1, groups: zGroups })
  }
  for (const [name, fit] of Object.entries(fits))
    await emit({ type: 'mixture', set, name, components: fit.components, scores: fit.scores, iterations: fit.iterations })
  const t0 = performance.now()
  const twoStage = await TwoStageVae.train(enc.mu, enc.logVar, { seed: 1, steps: 4000 })
  await emit({
    type: 'two-stage',
    set,
    seconds: (performance.now() - t0) / 1000,
    gamma: twoStage.gamma,
    history: twoStage.history.filter((_, i) => i % 10 === 9)
  })
  const note = `γ=${twoStage.gamma.toFixed(3)}`
  const rows: Row[] = [
    ...Object.entries(fits).map(([name, fit]) => ({
      sampler: mixtureSampler(name, fit.mixture),
      temperature: 1,
      note: `K=${fit.components}`
    })),
    { sampler: mixtureSampler('aggregate-posterior', aggregatePosterior(enc.mu, enc.logVar)), temperature: 1, note: 'q(z), train images' },
    { sampler: twoStage.sampler(), temperature: 1, note },
    { sampler: twoStage.sampler('two-stage+noise', true), temperature: 1, note }
  ]
  return { rows, dispose: () => twoStage.dispose() }
}

/** Options that lowered FD by ≥ 10 % against the prior at T = 1, and on which sets. */
const winners = new Map<string, string[]>()

async function runSet(set: string, embedder: FaceEmbedder): Promise<void> {
  const root = datasetsRoot()
  const folder = root ? path.join(root, set) : null
  if (!folder || !existsSync(folder)) {
    await emit({
      type: 'skipped',
      set,
      reason: `${folder ?? 'the face sets folder (VAE_STUDIO_DATASETS or ../shared/datasets)'} does not exist`
    })
    return
  }
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'vae-sampling-'))
  try {
    await importFolder(folder, dir, {
      size: 64,
      fit: 'crop',
      channels: 1,
      maxPixels: 100_000_000,
      faces: { ...defaultFaceImport, find: false }
    })
    const data = await openDataset(dir)
    const split = splitIndices(data.count, train.valFraction, train.seed)
    const { vae, steps, epochs, valLoss, trainSeconds } = await trainedModel(set, data)
    const enc = encodeRows(vae, data, split.train)
    const klPerDim = enc.mu[0].map(
      (_, j) => enc.mu.reduce((s, m, i) => s - 0.5 * (1 + enc.logVar[i][j] - m[j] ** 2 - Math.exp(enc.logVar[i][j])), 0) / enc.mu.length
    )
    await emit({
      type: 'model',
      set,
      count: data.count,
      train: split.train.length,
      heldOut: split.val.length,
      seconds,
      maxSteps,
      steps,
      epochs,
      valLoss,
      trainSeconds,
      activeUnits: klPerDim.filter((v) => v > 0.01).length,
      kl: klPerDim.reduce((a, b) => a + b, 0)
    })

    const t0 = performance.now()
    const all = Array.from({ length: data.count }, (_, i) => i)
    const reference = await referenceFaces(embedder, data, all)
    await saveEmbeddings(`${set}-real`, reference.embeddings)
    const heldOutFaces = reference.embeddings.filter((_, i) => split.val.includes(i))
    const heldOutStats = frechetStats(heldOutFaces)
    const evenOdd = frechetDistance(
      reference.embeddings.filter((_, i) => i % 2 === 0),
      reference.embeddings.filter((_, i) => i % 2 === 1)
    )
    await emit({
      type: 'floor',
      set,
      referenceFaces: data.count,
      randomHalves: reference.floor,
      evenOddHalvesFrechet: evenOdd,
      embedSeconds: (performance.now() - t0) / 1000,
      msPerFace: embedder.timing.msPerFace
    })

    // Reconstructions: the decoder's ceiling on real codes (train) and its identity figure (held out).
    const trainRecon = await embedder.embed(decodeCodes(vae, enc.mu))
    const valRecon = await embedder.embed(decodeCodes(vae, encodeRows(vae, data, split.val).mu))
    const trainReal = reference.embeddings.filter((_, i) => !split.val.includes(i))
    await saveEmbeddings(`${set}-train-recon`, trainRecon)
    await emit({
      type: 'reconstructions',
      set,
      trainReconVsAll: distanceToReference(trainRecon, reference),
      identityHeldOut: identitySimilarity(heldOutFaces, valRecon).mean,
      identityTrain: identitySimilarity(
        split.train.map((i) => reference.embeddings[i]),
        trainRecon
      ).mean,
      trainRealVsAllFrechet: frechetDistance(reference.stats, trainReal)
    })

    const prior = priorSampler(model.latentDim)
    const fitted = fittedTemperatures.length > 0 ? await fittedSamplers(set, enc) : { rows: [], dispose: () => undefined }
    const rows: Row[] = [
      ...priorTemperatures.map((temperature) => ({ sampler: prior, temperature, note: 'N(0, T²I)' })),
      ...fittedTemperatures.flatMap((temperature) => fitted.rows.map((row) => ({ ...row, temperature })))
    ]
    const trainStats = frechetStats(trainReal)
    const results: { option: string; frechet: number }[] = []
    for (const row of rows) {
      const perSeed: { seed: number; frechet: number; kid: number; frechetHeldOut: number; frechetTrain: number }[] = []
      const pooled: Float32Array[] = []
      for (let seed = 1; seed <= seedCount; seed++) {
        const faces = await embedder.embed(decodeCodes(vae, row.sampler.sample(sampleCount, seed, row.temperature)))
        pooled.push(...faces)
        await saveEmbeddings(`${set}-${row.sampler.name}-t${row.temperature}-seed${seed}`, faces)
        const all = distanceToReference(faces, reference, seed)
        perSeed.push({
          seed,
          frechet: all.frechet,
          kid: all.kid,
          frechetHeldOut: frechetDistance(heldOutStats, faces),
          frechetTrain: frechetDistance(trainStats, faces)
        })
      }
      const infinity = frechetInfinity(pooled, reference.stats, { seed: 1 })
      const mean = (key: 'frechet' | 'kid' | 'frechetHeldOut' | 'frechetTrain'): number =>
        perSeed.reduce((s, r) => s + r[key], 0) / perSeed.length
      results.push({ option: `${row.sampler.name} T=${row.temperature}`, frechet: mean('frechet') })
      await emit({
        type: 'option',
        set,
        sampler: row.sampler.name,
        temperature: row.temperature,
        note: row.note,
        samples: sampleCount,
        frechet: mean('frechet'),
        kid: mean('kid'),
        frechetHeldOut: mean('frechetHeldOut'),
        frechetTrain: mean('frechetTrain'),
        frechetInfinity: infinity.frechet,
        frechetBiasSlope: infinity.slope,
        perSeed
      })
    }
    const baseline = results.find((r) => r.option === 'prior T=1')
    if (baseline) {
      const change = results.map((r) => ({ ...r, change: r.frechet / baseline.frechet - 1 }))
      await emit({
        type: 'verdict',
        set,
        baseline: baseline.frechet,
        change,
        meetsRule: change.filter((r) => r.change <= -0.1).map((r) => r.option)
      })
      for (const r of change) if (r.change <= -0.1) winners.set(r.option, [...(winners.get(r.option) ?? []), set])
    }
    fitted.dispose()
    vae.dispose()
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  await selectBackend('wasm')
  const embedder = await FaceEmbedder.start({ workers: Number(args.workers ?? 2) })
  try {
    for (const set of sets) await runSet(set, embedder)
    const ships = [...winners].filter(([, on]) => on.length >= 2).map(([option, on]) => ({ option, sets: on }))
    await emit({
      type: 'decision',
      rule: 'ship an option only if it lowers face FD by >= 10% on at least two face sets',
      ships,
      candidates: Object.fromEntries(winners)
    })
  } finally {
    await emit({ type: 'timing', ...embedder.timing })
    await embedder.dispose()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
