/**
 * `vae-studio sample <project> --out grid.png`: a seeded grid of samples from the trained model;
 * with `--out-dir <folder>`, N separate PNGs (each carrying its code) and a manifest.csv.
 */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { numberFlag, parseCommand } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const sampleUsage =
  'vae-studio sample <project.vaeproj> (--out grid.png | --out-dir <new folder>) [--count 64] [--seed 7] [--temperature 1]'

export async function runSample(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    {
      out: { type: 'string' },
      'out-dir': { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      temperature: { type: 'string' }
    },
    { min: 1, max: 1, usage: sampleUsage }
  )
  if (!values.out === !values['out-dir'])
    throw new UsageError(`give --out (one grid) or --out-dir (one file per face)\nusage: ${sampleUsage}`)
  const count = numberFlag('count', values.count, { min: 1, max: values['out-dir'] ? 100_000 : 256, integer: true }) ?? 64
  const seed = numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 7
  const temperature = numberFlag('temperature', values.temperature, { min: 0, max: 10 }) ?? 1
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  if (values['out-dir']) {
    const folder = path.resolve(values['out-dir'])
    studio.on('export:progress', (p) => reporter.exportProgress(p))
    const interrupt = () => void studio.exportCancel().catch(() => undefined)
    process.once('SIGINT', interrupt)
    try {
      const written = await studio.exportSamples({ folder, count, temperature, seed })
      reporter.record(
        'result',
        { folder, count, seed, temperature },
        `wrote ${written.count} faces (seeds ${seed}…, temperature ${temperature}) and manifest.csv to ${values['out-dir']}`
      )
    } finally {
      process.off('SIGINT', interrupt)
    }
    return
  }
  const out = path.resolve(values.out!)
  const { images } = await studio.modelSample({ count, temperature, seed })
  await studio.exportPng({ images, columns: Math.ceil(Math.sqrt(count)), path: out })
  reporter.record(
    'result',
    { out, count, seed, temperature },
    `wrote ${count} samples (seed ${seed}, temperature ${temperature}) to ${values.out}`
  )
}
