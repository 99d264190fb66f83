/** `vae-studio export-model`: the encoder and decoder as TensorFlow.js layers models, for any web page. */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand } from '../command-spec'
import { parseCommand, required } from '../options'
import type { Reporter } from '../reporter'

export const exportModelCommand = defineCommand({
  name: 'export-model',
  summary: 'writes the encoder and decoder in TensorFlow.js layers format (tf.loadLayersModel reads them)',
  usage: '<project.vaeproj> --out <folder>',
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: '<folder>', help: 'where encoder/, decoder/ and vae-studio.json go (made if it does not exist)' },
    backend: backendOption
  }
})

export async function runExportModel(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, exportModelCommand)
  const folder = path.resolve(required(values.out, 'out', exportModelCommand))
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const exported = await studio.exportModel({ folder })
  reporter.record(
    'result',
    { ...exported },
    `wrote the encoder and decoder (TensorFlow.js layers format) to ${values.out}\n  ${exported.encoder}\n  ${exported.decoder}`
  )
}
