/** `vae-studio reconstruct <project> --out recon.png`: originals above their reconstructions. */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { numberFlag, parseCommand } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const reconstructUsage = 'vae-studio reconstruct <project.vaeproj> --out recon.png [--count 8] [--from 0]'

export async function runReconstruct(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    { out: { type: 'string' }, count: { type: 'string' }, from: { type: 'string' } },
    { min: 1, max: 1, usage: reconstructUsage }
  )
  if (!values.out) throw new UsageError(`--out is required\nusage: ${reconstructUsage}`)
  const summary = await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const from = numberFlag('from', values.from, { min: 0, max: Math.max(0, summary.imageCount - 1), integer: true }) ?? 0
  const count = Math.min(numberFlag('count', values.count, { min: 1, max: 64, integer: true }) ?? 8, summary.imageCount - from)
  const originals = await studio.datasetThumbnails({ from, count })
  const reconstructions = await studio.modelReconstruct({ indices: originals.map((_, i) => from + i) })
  const out = path.resolve(values.out)
  await studio.exportPng({ images: [...originals, ...reconstructions], columns: originals.length, path: out })
  reporter.record(
    'result',
    { out, from, count: originals.length },
    `wrote ${originals.length} originals (top row) and their reconstructions (bottom row) to ${values.out}`
  )
}
