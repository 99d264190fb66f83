/** `vae-studio info <project>`: dataset, model, backend, last checkpoint and losses. */
import { decoderKind, encoderWidth } from '../../../shared/config'
import { choiceLabel, decoderChoices, describeSharpen, reconChoices } from '../../../shared/model-choices'
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import type { RunLength } from '../../../shared/config'
import { estimateRun, runTarget, type TrainPlan } from '../../../shared/run-length'
import { aboutDuration, describeLength, describeTrained, paceSource } from '../../../shared/run-length-text'
import { formatNumber } from '../format'
import { backendOption, defineCommand } from '../command-spec'
import { parseCommand } from '../options'
import { formatQuality } from '../quality-text'
import type { Reporter } from '../reporter'

export const infoCommand = defineCommand({
  name: 'info',
  summary: 'shows a project: its dataset, model, backend, last checkpoint, losses and sample quality',
  usage: '<project.vaeproj>',
  positionals: { min: 1, max: 1 },
  options: { backend: backendOption }
})

export async function runInfo(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { positionals } = parseCommand(args, infoCommand)
  const summary = await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const engine = await studio.engineInfo()
  const history = await studio.trainHistory()
  const lastEpoch = history.epochs.at(-1)
  const lastStep = history.rows.at(-1)
  const plan = await studio.trainPlan({ train: summary.train, measure: false })
  const m = summary.model
  const t = summary.train
  const lines = [
    `project     ${summary.name} (${summary.path})`,
    `dataset     ${summary.imageCount} images, ${summary.imageSize}×${summary.imageSize} ${summary.channels === 1 ? 'grayscale' : 'RGB'}, from ${summary.source || '(none yet)'}`,
    `model       β-VAE, latent ${m.latentDim}, ${choiceLabel(reconChoices, m.recon)} reconstruction, decoder: ${choiceLabel(decoderChoices, decoderKind(m))}, filters ${m.baseFilters} (encoder ${encoderWidth(m)})`,
    `run length  ${lengthLine(t.length, plan)}`,
    `training    batch ${t.batchSize}, learning rate ${t.learningRate}, β ${t.beta}, warm-up ${t.warmup.kind}${t.warmup.kind === 'none' ? '' : ` over ${t.warmup.steps} steps`}, ${describeSharpen(t.sharpen, t.sharpenAfter)}, seed ${t.seed}`,
    `backend     ${engine.backend} (available: ${engine.availableBackends.join(', ')}; tfjs ${engine.tfjsVersion}; ${engine.cores} cores)`,
    `images      ${engine.imageLibrary.name}${engine.imageLibrary.problem ? ` (${engine.imageLibrary.problem})` : ''}`,
    `checkpoint  ${summary.checkpoint ? `step ${summary.checkpoint.step}, epoch ${summary.checkpoint.epoch}, β ${summary.checkpoint.beta}` : 'none (not trained yet)'}`
  ]
  if (lastStep)
    lines.push(`last step   loss ${formatNumber(lastStep.loss)} (recon ${formatNumber(lastStep.recon)}, kl ${formatNumber(lastStep.kl)})`)
  if (lastEpoch) {
    lines.push(
      `held-out    loss ${formatNumber(lastEpoch.valLoss)} (recon ${formatNumber(lastEpoch.valRecon)}, kl ${formatNumber(lastEpoch.valKl)}) after epoch ${lastEpoch.epoch}; ${lastEpoch.activeUnits}/${lastEpoch.klPerDim.length} active latent units`
    )
  }
  const quality = await studio.qualityHistory()
  const lastQuality = quality.points.at(-1) ?? null
  if (lastQuality) lines.push(`quality     ${formatQuality(lastQuality, '            ').trimStart()}`)
  else
    lines.push(`quality     ${quality.applies ? 'not measured yet: run vae-studio evaluate' : `does not apply: ${quality.reason ?? ''}`}`)
  reporter.record(
    'result',
    {
      project: summary,
      engine,
      lastStep: lastStep ?? null,
      lastEpoch: lastEpoch ?? null,
      quality: { applies: quality.applies, reason: quality.reason ?? null, latest: lastQuality }
    },
    lines.join('\n')
  )
}

/** "600 steps in all (recommended for 29 training images); trained 300 steps, 10 epochs, 2.5 min; about 3 min more …" */
function lengthLine(length: RunLength, plan: TrainPlan): string {
  const recommended = length.amount === null ? ` (recommended for ${plan.shape.trainImages} training images)` : ''
  const trained = plan.at.step > 0 ? `; trained ${describeTrained(plan.at, plan.shape)}` : '; not trained yet'
  const estimate = estimateRun(runTarget(length, plan.shape), plan.at, plan.shape, plan.pace)
  const rest =
    estimate.stepsLeft === 0
      ? `; done (train with a longer --${length.amount === null ? 'steps' : length.unit} to train more)`
      : estimate.secondsLeft !== null && plan.pace
        ? `; ${aboutDuration(estimate.secondsLeft)} more ${paceSource(plan.pace)}`
        : ''
  return `${describeLength(length, plan.recommendedSteps)} in all${recommended}${trained}${rest}`
}
