/** `vae-studio demo --out DIR [--count N] [--seed S]`: writes synthetic faces with known factors. */
import { writeDemoFolder } from '../../engine/demo'
import { numberFlag, parseCommand } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const demoUsage = 'vae-studio demo --out <folder> [--count 2000] [--seed 1]'

export async function runDemo(args: string[], reporter: Reporter): Promise<void> {
  const { values } = parseCommand(
    args,
    { out: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' } },
    { min: 0, max: 0, usage: demoUsage }
  )
  if (!values.out) throw new UsageError(`--out is required\nusage: ${demoUsage}`)
  const count = numberFlag('count', values.count, { min: 1, max: 100_000, integer: true }) ?? 2000
  const seed = numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 1
  await writeDemoFolder(values.out, count, seed, (done, total) => reporter.importProgress({ done, total, imported: done, skipped: 0 }))
  reporter.record('result', { out: values.out, count, seed }, `wrote ${count} demo faces and labels.csv to ${values.out}`)
}
