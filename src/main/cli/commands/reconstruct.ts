/** `vae-studio reconstruct <project> --out recon.png`: originals above their reconstructions. */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand, imageNumbersNote } from '../command-spec'
import { imageNumberFlag, toRow } from '../image-numbers'
import { numberFlag, parseCommand, required } from '../options'
import type { Reporter } from '../reporter'

export const reconstructCommand = defineCommand({
  name: 'reconstruct',
  summary: 'encodes and decodes dataset images: the originals in the top row, what the model makes of them below',
  usage: '<project.vaeproj> --out recon.png [--count 8] [--from 1]',
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: '<file.png>', help: 'the two rows' },
    count: { type: 'string', value: '<n>', help: 'how many images (1–64, default 8)' },
    from: { type: 'string', value: '<image#>', help: 'the first image; the next ones follow in dataset order (default 1)' },
    backend: backendOption
  },
  notes: [imageNumbersNote]
})

export async function runReconstruct(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, reconstructCommand)
  const out = path.resolve(required(values.out, 'out', reconstructCommand))
  const fromNumber = imageNumberFlag('from', values.from) ?? 1
  const wanted = numberFlag('count', values.count, { min: 1, max: 64, integer: true }) ?? 8
  const { imageCount } = await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const from = toRow('from', fromNumber, imageCount)
  const originals = await studio.datasetThumbnails({ from, count: Math.min(wanted, imageCount - from) })
  const reconstructions = await studio.modelReconstruct({ indices: originals.map((_, i) => from + i) })
  await studio.exportPng({ images: [...originals, ...reconstructions], columns: originals.length, path: out })
  const last = fromNumber + originals.length - 1
  reporter.record(
    'result',
    { out, from: fromNumber, count: originals.length },
    `wrote images ${fromNumber}–${last} (top row) and their reconstructions (bottom row) to ${values.out}`
  )
}
