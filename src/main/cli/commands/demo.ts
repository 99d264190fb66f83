/** `vae-studio demo --out DIR [--count N] [--seed S]`: writes synthetic faces with known factors. */
import { writeDemoFolder } from '../../engine/demo'
import { defineCommand } from '../command-spec'
import { numberFlag, parseCommand, required } from '../options'
import type { Reporter } from '../reporter'

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'draws synthetic faces with known factors (glasses, smile…) and writes them with labels.csv',
  usage: '--out <folder> [--count 2000] [--seed 1]',
  positionals: { min: 0, max: 0 },
  options: {
    out: { type: 'string', value: '<folder>', help: 'where the PNGs and labels.csv go' },
    count: { type: 'string', value: '<n>', help: 'how many faces (default 2000)' },
    seed: { type: 'string', value: '<n>', help: 'the same seed draws the same faces (default 1)' }
  }
})

export async function runDemo(args: string[], reporter: Reporter): Promise<void> {
  const { values } = parseCommand(args, demoCommand)
  const out = required(values.out, 'out', demoCommand)
  const count = numberFlag('count', values.count, { min: 1, max: 100_000, integer: true }) ?? 2000
  const seed = numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 1
  await writeDemoFolder(out, count, seed, (done, total) => reporter.importProgress({ done, total, imported: done, skipped: 0 }))
  reporter.record('result', { out, count, seed }, `wrote ${count} demo faces and labels.csv to ${out}`)
}
