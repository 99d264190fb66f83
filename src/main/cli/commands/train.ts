/**
 * `vae-studio train <project>`: trains in the engine process, resuming from the last checkpoint.
 * A project that does not exist yet is created and trained on the built-in demo faces.
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import {
  decoderKinds,
  defaultTrainConfig,
  reconKinds,
  modelConfigSchema,
  runAmountSchemas,
  runLengthUnits,
  suggestedSharpen,
  trainConfigSchema,
  type RunLength
} from '../../../shared/config'
import {
  betaForLoss,
  betaTooLow,
  sharpenChoice,
  sharpenCutShort,
  sharpenRunSteps,
  sharpenShowsAfter,
  suggestedBeta
} from '../../../shared/model-choices'
import { estimateRun, runTarget, type RunEstimate, type TrainPlan } from '../../../shared/run-length'
import { aboutDuration, describeLength, paceSource } from '../../../shared/run-length-text'
import type { StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand } from '../command-spec'
import type { EngineControl } from '../engine-control'
import { followRun } from '../follow-run'
import { choiceFlag, numberFlag, parseCommand } from '../options'
import { UsageError } from '../usage-error'
import { formatQuality } from '../quality-text'
import type { Reporter } from '../reporter'

export const trainCommand = defineCommand({
  name: 'train',
  summary: 'trains the project’s model (resuming from its last checkpoint); a new project trains on the built-in demo faces',
  usage:
    `<project.vaeproj> [--steps N | --minutes M | --epochs N] [--beta 16] [--latent 32] [--size 64] [--batch 64] [--lr ${defaultTrainConfig.learningRate}] ` +
    `[--decoder ${decoderKinds.join('|')}] [--recon ${reconKinds.join('|')}] ` +
    `[--warmup none|linear|cyclical] [--warmup-steps 1000] [--sharpen ${suggestedSharpen}] [--sharpen-after ${defaultTrainConfig.sharpenAfter}] [--flip] [--val 0.1] [--seed 1] [--checkpoint-every 200] [--workers 0] [--quality on|off]`,
  positionals: { min: 1, max: 1 },
  options: {
    steps: {
      type: 'string',
      value: '<n>',
      help: 'train until this many steps in all (default: the project’s length, or one recommended for its images)'
    },
    minutes: { type: 'string', value: '<m>', help: 'train until this many minutes of training in all (pauses left out)' },
    epochs: { type: 'string', value: '<n>', help: 'train until this many epochs in all (passes over the images, whatever the batch size)' },
    beta: {
      type: 'string',
      value: '<β>',
      help: 'weight of the KL term: higher untangles the codes, lower keeps detail (default: the project’s; the loss’s own for a new one)'
    },
    latent: { type: 'string', value: '<n>', help: 'size of the latent code, 2–256 (default: the project’s, 32 for a new one)' },
    size: { type: 'string', value: '32|64|128', help: 'the model’s image side in pixels (default: the project’s, 64 for a new one)' },
    batch: { type: 'string', value: '<n>', help: 'images per training step (default 64)' },
    lr: {
      type: 'string',
      value: '<rate>',
      help: `Adam’s learning rate (default: the project’s, ${defaultTrainConfig.learningRate} for a new one)`
    },
    decoder: {
      type: 'string',
      value: decoderKinds.join('|'),
      help: 'how the decoder doubles its resolution, for a new model: upsample-conv (default; no seams) or transposed-3x3 (faster, seams)'
    },
    recon: {
      type: 'string',
      value: reconKinds.join('|'),
      help: `the reconstruction loss, for a new model: gaussian (default; the σ-VAE, at β ${suggestedBeta.gaussian}), bce (β 1) or mse; a β left at the old loss’s own moves to the new one’s`
    },
    warmup: { type: 'string', value: 'none|linear|cyclical', help: 'raise β from 0 over --warmup-steps (default none)' },
    'warmup-steps': { type: 'string', value: '<n>', help: 'steps of the KL warm-up (default 1000)' },
    sharpen: {
      type: 'string',
      value: '<w>',
      help: `${sharpenChoice.label.toLowerCase()}: the weight of an adversarial term that makes detail crisper (${suggestedSharpen} measured best; 0 turns it off; default: the project’s, off for a new one)`
    },
    'sharpen-after': {
      type: 'string',
      value: '<steps>',
      help: `the step sharpening starts at, once the faces take shape (default ${defaultTrainConfig.sharpenAfter})`
    },
    flip: { type: 'boolean', help: 'mirror images left–right at random while training' },
    val: { type: 'string', value: '<0–0.5>', help: 'share of the images held out to measure the model (default 0.1)' },
    seed: { type: 'string', value: '<n>', help: 'seed of the split, the batch order and the first weights (default 1)' },
    'checkpoint-every': { type: 'string', value: '<steps>', help: 'save a checkpoint every so many steps (default 200)' },
    workers: { type: 'string', value: '<n>', help: 'training threads (default 0: one per core; the same run either way)' },
    quality: { type: 'string', value: 'on|off', help: 'measure sample quality at checkpoints (default on)' },
    backend: backendOption
  }
})

export async function runTrain(args: string[], reporter: Reporter, studio: StudioApi, engine: EngineControl): Promise<number> {
  const { values, positionals } = parseCommand(args, trainCommand)
  const project = path.resolve(positionals[0])
  const size = numberFlag('size', values.size, { min: 32, max: 128, integer: true })
  const summary = existsSync(path.join(project, 'project.json'))
    ? await studio.projectOpen({ path: project })
    : await studio.projectCreate({ path: project })
  const model = modelConfigSchema.parse({
    ...summary.model,
    ...(size !== undefined && { imageSize: size }),
    ...defined({
      latentDim: numberFlag('latent', values.latent, { min: 2, max: 256, integer: true }),
      decoder: choiceFlag('decoder', values.decoder, decoderKinds),
      recon: choiceFlag('recon', values.recon, reconKinds)
    })
  })
  const quality = choiceFlag('quality', values.quality, ['on', 'off'] as const)
  const warmupKind = choiceFlag('warmup', values.warmup, ['none', 'linear', 'cyclical'] as const)
  const warmupSteps = numberFlag('warmup-steps', values['warmup-steps'], { min: 1, max: 10_000_000, integer: true })
  const train = trainConfigSchema.parse({
    ...summary.train,
    ...defined({
      length: lengthFlag(values),
      beta: numberFlag('beta', values.beta, { min: 0, max: 1000 }) ?? betaForLoss(summary.train.beta, summary.model.recon, model.recon),
      batchSize: numberFlag('batch', values.batch, { min: 1, max: 1024, integer: true }),
      learningRate: numberFlag('lr', values.lr, { min: 1e-8, max: 10 }),
      valFraction: numberFlag('val', values.val, { min: 0, max: 0.5 }),
      seed: numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }),
      checkpointEverySteps: numberFlag('checkpoint-every', values['checkpoint-every'], { min: 1, max: 1_000_000, integer: true }),
      workers: numberFlag('workers', values.workers, { min: 0, max: 64, integer: true }),
      augmentFlip: values.flip,
      sharpen: numberFlag('sharpen', values.sharpen, { min: 0, max: 10 }),
      sharpenAfter: numberFlag('sharpen-after', values['sharpen-after'], { min: 0, max: 1_000_000, integer: true }),
      quality: quality === undefined ? undefined : quality === 'on'
    }),
    warmup: { kind: warmupKind ?? summary.train.warmup.kind, steps: warmupSteps ?? summary.train.warmup.steps }
  })
  if (summary.imageCount === 0)
    reporter.record(
      'notice',
      { message: 'no dataset: using the built-in demo faces' },
      'no images imported: training on the built-in demo faces'
    )
  if (summary.checkpoint) {
    reporter.record(
      'notice',
      { message: 'resuming', ...summary.checkpoint },
      `resuming from the checkpoint at step ${summary.checkpoint.step} (epoch ${summary.checkpoint.epoch})`
    )
  }
  if (betaTooLow(model.recon, train.beta))
    reporter.record(
      'notice',
      { message: 'beta too low for gaussian', beta: train.beta, suggested: suggestedBeta.gaussian },
      `β ${train.beta} is too low for the calibrated Gaussian: its samples break up below β ≈ ${suggestedBeta.gaussian} (give --beta ${suggestedBeta.gaussian})`
    )
  const plan = await studio.trainPlan({ train, measure: false })
  const estimate = estimateRun(runTarget(train.length, plan.shape), plan.at, plan.shape, plan.pace)
  reporter.record('notice', { message: 'plan', length: train.length, ...plan }, planLine(train.length, plan, estimate))
  const endStep = estimate.stepsLeft === null ? null : plan.at.step + estimate.stepsLeft
  if (train.sharpen > 0 && endStep !== null && sharpenCutShort(endStep, train.sharpenAfter))
    reporter.record(
      'notice',
      { message: 'run ends before sharpening shows', endStep, sharpenAfter: train.sharpenAfter },
      `this run ends at step ${endStep}, before sharpening (from step ${train.sharpenAfter}) has had ${sharpenShowsAfter} steps to show (give --steps ${sharpenRunSteps(train.sharpenAfter)})`
    )
  const info = await studio.engineInfo()
  reporter.record('notice', { message: 'backend', backend: info.backend }, `training on the ${info.backend} backend (${info.cores} cores)`)

  studio.on('train:progress', (p) => reporter.trainProgress(p))
  studio.on('train:epoch', (e) => reporter.epoch(e))
  // A measurement still running when training ends is abandoned with the engine: none printed after the end.
  let ended = false
  studio.on('train:state', (s) => (ended ||= ['finished', 'stopped', 'failed'].includes(s.state)))
  studio.on('quality:point', (p) => ended || reporter.record('quality', { ...p }, formatQuality(p)))
  studio.on('dataset:progress', (p) => reporter.importProgress(p))
  return followRun({ studio, reporter, project, killEngine: engine.kill, start: () => studio.trainStart({ model, train }) })
}

/** The run length `--steps`, `--minutes` or `--epochs` asks for (at most one of them), or none. */
function lengthFlag(values: { steps?: string; minutes?: string; epochs?: string }): RunLength | undefined {
  const given = runLengthUnits.filter((unit) => values[unit] !== undefined)
  if (given.length > 1) throw new UsageError(`choose one run length: --${given.join(' or --')}, not both`)
  const unit = given[0]
  if (unit === undefined) return undefined
  const { minValue, maxValue, isInt } = runAmountSchemas[unit]
  return { unit, amount: numberFlag(unit, values[unit], { min: minValue ?? 0, max: maxValue ?? Infinity, integer: isInt })! }
}

/** "training to 600 steps in all (recommended for 29 training images; at step 0) · about 6 min …" */
function planLine(length: RunLength, plan: TrainPlan, estimate: RunEstimate): string {
  const recommended = length.amount === null ? ` (recommended for ${plan.shape.trainImages} training images)` : ''
  const from = plan.at.step > 0 ? `, from step ${plan.at.step}` : ''
  const time =
    estimate.secondsLeft === null
      ? 'the time left shows once the first steps are timed'
      : estimate.estimated && plan.pace
        ? `${aboutDuration(estimate.secondsLeft)} ${paceSource(plan.pace)}`
        : aboutDuration(estimate.secondsLeft)
  return `training to ${describeLength(length, plan.recommendedSteps)} in all${recommended}${from} · ${time}`
}

/** Drops undefined fields so they don't override the project's saved values. */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>
}
