/**
 * `vae-studio evaluate <project>`: how good the trained model's generated faces are — face
 * Fréchet distance and KID of samples (codes from the mixture fitted to the faces' codes) to the
 * real faces, identity similarity of held-out reconstructions — each with the floor for this
 * dataset. Kept in the project (`info` shows it).
 */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { backendOption, defineCommand } from '../command-spec'
import { numberFlag, parseCommand } from '../options'
import { formatQuality } from '../quality-text'
import type { Reporter } from '../reporter'

export const evaluateCommand = defineCommand({
  name: 'evaluate',
  summary: 'measures how face-like the generated faces are (face Fréchet distance, KID, identity), each with its floor',
  usage: '<project.vaeproj> [--samples 256] [--seed 0] [--temperature 1]',
  positionals: { min: 1, max: 1 },
  options: {
    samples: { type: 'string', value: '<n>', help: 'generated faces to measure (16–4096, default 256)' },
    seed: { type: 'string', value: '<n>', help: 'the seed of the generated faces (default 0)' },
    temperature: { type: 'string', value: '<t>', help: 'the spread of their codes (default 1)' },
    backend: backendOption
  }
})

export async function runEvaluate(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, evaluateCommand)
  const samples = numberFlag('samples', values.samples, { min: 16, max: 4096, integer: true }) ?? 256
  const seed = numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 0
  const temperature = numberFlag('temperature', values.temperature, { min: 0, max: 10 }) ?? 1
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  // Said once, as the command's error: not also as a notice before it.
  const history = await studio.qualityHistory()
  if (!history.applies)
    throw new StudioError('invalid-request', history.reason ?? 'the sample-quality metric does not apply to this project')
  const point = await studio.qualityMeasure({ samples, seed, temperature })
  reporter.record('result', { ...point }, formatQuality(point))
}
