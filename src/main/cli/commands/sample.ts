/**
 * `vae-studio sample <project> --out grid.png`: a seeded grid of samples from the trained model;
 * with `--out-dir <folder>`, N separate PNGs (each carrying its code) and a manifest.csv.
 */
import * as path from 'node:path'
import { defaultSampling, samplingKinds } from '../../../shared/config'
import type { StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand } from '../command-spec'
import { choiceFlag, numberFlag, parseCommand } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const sampleCommand = defineCommand({
  name: 'sample',
  summary: 'draws new faces from the trained model: one grid, or one PNG per face',
  usage: '<project.vaeproj> (--out grid.png | --out-dir <new folder>) [--count 64] [--seed 7] [--temperature 1] [--from fitted|prior]',
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: '<file.png>', help: 'one grid of all the faces' },
    'out-dir': { type: 'string', value: '<folder>', help: 'a new or empty folder: one PNG per face (with its code) and manifest.csv' },
    count: { type: 'string', value: '<n>', help: 'how many faces (default 64; at most 256 in a grid)' },
    seed: { type: 'string', value: '<n>', help: 'the same seed draws the same faces (default 7)' },
    temperature: { type: 'string', value: '<t>', help: 'spread of the codes: below 1 safer and plainer, above 1 wilder (default 1)' },
    from: {
      type: 'string',
      value: samplingKinds.join('|'),
      help: "where the codes come from: 'fitted', a mixture fitted to the training faces' codes; 'prior', N(0, I) (default fitted)"
    },
    backend: backendOption
  }
})

export async function runSample(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, sampleCommand)
  if (!values.out === !values['out-dir'])
    throw new UsageError(`give --out (one grid) or --out-dir (one file per face)\nusage: vae-studio sample ${sampleCommand.usage}`)
  const count = numberFlag('count', values.count, { min: 1, max: values['out-dir'] ? 100_000 : 256, integer: true }) ?? 64
  const seed = numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 7
  const temperature = numberFlag('temperature', values.temperature, { min: 0, max: 10 }) ?? 1
  const sampling = choiceFlag('from', values.from, samplingKinds) ?? defaultSampling
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  if (values['out-dir']) {
    const folder = path.resolve(values['out-dir'])
    studio.on('export:progress', (p) => reporter.exportProgress(p))
    const interrupt = () => void studio.exportCancel().catch(() => undefined)
    process.once('SIGINT', interrupt)
    try {
      const written = await studio.exportSamples({ folder, count, temperature, seed, sampling })
      reporter.record(
        'result',
        { folder, count, seed, temperature, sampling },
        `wrote ${written.count} faces (seeds ${seed}…, temperature ${temperature}, codes from ${sampling}) and manifest.csv to ${values['out-dir']}`
      )
    } finally {
      process.off('SIGINT', interrupt)
    }
    return
  }
  const out = path.resolve(values.out!)
  const { images } = await studio.modelSample({ count, temperature, seed, sampling })
  await studio.exportPng({ images, columns: Math.ceil(Math.sqrt(count)), path: out })
  reporter.record(
    'result',
    { out, count, seed, temperature, sampling },
    `wrote ${count} samples (seed ${seed}, temperature ${temperature}, codes from ${sampling}) to ${values.out}`
  )
}
