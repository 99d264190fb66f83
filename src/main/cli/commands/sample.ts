/** `vae-studio sample <project> --out grid.png`: a seeded grid of samples from the trained model. */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { numberFlag, parseCommand } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const sampleUsage = 'vae-studio sample <project.vaeproj> --out grid.png [--count 64] [--seed 7] [--temperature 1]'

export async function runSample(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    { out: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' }, temperature: { type: 'string' } },
    { min: 1, max: 1, usage: sampleUsage }
  )
  if (!values.out) throw new UsageError(`--out is required\nusage: ${sampleUsage}`)
  const count = numberFlag('count', values.count, { min: 1, max: 256, integer: true }) ?? 64
  const seed = numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 7
  const temperature = numberFlag('temperature', values.temperature, { min: 0, max: 10 }) ?? 1
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const { images } = await studio.modelSample({ count, temperature, seed })
  const out = path.resolve(values.out)
  await studio.exportPng({ images, columns: Math.ceil(Math.sqrt(count)), path: out })
  reporter.record('result', { out, count, seed, temperature }, `wrote ${count} samples (seed ${seed}, temperature ${temperature}) to ${values.out}`)
}
