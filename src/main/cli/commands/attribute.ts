/** `vae-studio attribute`: a direction in the latent space (glasses, smiling…) made from examples or labels, and applied to an image. */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand, imageNumbersNote } from '../command-spec'
import { formatNumber } from '../format'
import { imageNumberFlag, imageNumberListFlag, toRow, toRows } from '../image-numbers'
import { choiceFlag, numberFlag, parseCommand, required } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const attributeCommand = defineCommand({
  name: 'attribute',
  summary: 'learns a direction (glasses, smiling…) from images with and without it, and adds it to an image in steps',
  usage:
    '<project.vaeproj> (--name <name> --with 1,2,3 --without 4,5,6 | --from-label happy|age|gender [--name <name>]) [--apply <image#> [--amounts -2,-1,0,1,2] --out strip.png]',
  positionals: { min: 1, max: 1 },
  options: {
    name: { type: 'string', value: '<name>', help: 'the attribute to make, or to apply (saved in the project)' },
    with: { type: 'string', value: '<image#,…>', help: 'images that have it' },
    without: { type: 'string', value: '<image#,…>', help: 'images that do not' },
    'from-label': { type: 'string', value: 'happy|age|gender', help: 'make it from the automatic face labels instead of --with/--without' },
    apply: { type: 'string', value: '<image#>', help: 'the image to add the attribute to' },
    amounts: { type: 'string', value: '<x,…>', help: 'how much of it, one frame each (default -2,-1,0,1,2)' },
    out: { type: 'string', value: '<file.png>', help: 'the strip of frames of --apply' },
    backend: backendOption
  },
  notes: [imageNumbersNote]
})

export async function runAttribute(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, attributeCommand)
  const label = choiceFlag('from-label', values['from-label'], ['happy', 'age', 'gender'] as const)
  const withNumbers = imageNumberListFlag('with', values.with)
  const withoutNumbers = imageNumberListFlag('without', values.without)
  const applyNumber = imageNumberFlag('apply', values.apply)
  if (!withNumbers && !withoutNumbers && !label && applyNumber === undefined)
    throw new UsageError(
      `give --with and --without (or --from-label) to create an attribute, or --apply to use one\nusage: vae-studio attribute ${attributeCommand.usage}`
    )
  const { imageCount } = await studio.projectOpen({ path: path.resolve(positionals[0]) })
  let name = values.name
  if (label) {
    // The vector made is saved last in the list.
    const made = (await studio.attributeFromLabel(name ? { label, name } : { label })).at(-1)!
    name = made.name
    reporter.record(
      'result',
      { name, vector: made.vector, with: made.withIndices.length, without: made.withoutIndices.length },
      `saved attribute "${name}" (length ${formatNumber(Math.hypot(...made.vector))}) from the ${label} labels: ${made.withIndices.length} faces with, ${made.withoutIndices.length} without`
    )
  }
  name = required(name, 'name', attributeCommand)
  if (withNumbers || withoutNumbers) {
    const withIndices = toRows('with', required(withNumbers, 'with', attributeCommand), imageCount)
    const withoutIndices = toRows('without', required(withoutNumbers, 'without', attributeCommand), imageCount)
    const attributes = await studio.attributeCreate({ name, withIndices, withoutIndices })
    const vector = attributes.find((a) => a.name === name)!.vector
    reporter.record(
      'result',
      { name, vector },
      `saved attribute "${name}" (length ${formatNumber(Math.hypot(...vector))}) from ${withIndices.length} vs ${withoutIndices.length} images`
    )
  }
  if (applyNumber === undefined) return
  const amounts = values.amounts
    ? values.amounts.split(',').map((v) => numberFlag('amounts', v, { min: -20, max: 20 })!)
    : [-2, -1, 0, 1, 2]
  const out = path.resolve(required(values.out, 'out', attributeCommand))
  const { images } = await studio.attributeApply({ ref: { index: toRow('apply', applyNumber, imageCount) }, name, amounts })
  await studio.exportPng({ images, columns: images.length, path: out })
  reporter.record(
    'result',
    { out, name, image: applyNumber, amounts },
    `wrote image ${applyNumber} with "${name}" at ${amounts.join(', ')} to ${values.out}`
  )
}
