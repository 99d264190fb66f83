/**
 * The latent tools from a terminal: `interpolate`, `arithmetic`, `attribute`, `denoise` and
 * `export-model`, with the options the studio's Latent tools view offers.
 */
import * as path from 'node:path'
import type { NoiseSpec, StudioApi } from '../../../shared/contract'
import { formatNumber } from '../format'
import { choiceFlag, indexListFlag, numberFlag, parseCommand } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const interpolateUsage =
  'vae-studio interpolate <project.vaeproj> --from <image#> --to <image#> --out strip.png [--frames 8] [--mode linear|spherical] [--gif anim.gif] [--delay 100]'
export const arithmeticUsage =
  'vae-studio arithmetic <project.vaeproj> --a 1,2 --b 3 --c 4 --out result.png [--save <name>] | --recipe <name> --out result.png'
export const attributeUsage =
  'vae-studio attribute <project.vaeproj> (--name <name> --with 1,2,3 --without 4,5,6 | --from-label happy|age|gender [--name <name>]) [--apply <image#> [--amounts -2,-1,0,1,2] --out strip.png]'
export const denoiseUsage =
  'vae-studio denoise <project.vaeproj> --image <image#> --out result.png [--noise gaussian|salt-pepper|mask] [--amount 0.2] [--seed 1]'
export const exportModelUsage = 'vae-studio export-model <project.vaeproj> --out <folder>'

function required<T>(value: T | undefined, flag: string, usage: string): T {
  if (value === undefined) throw new UsageError(`--${flag} is required\nusage: ${usage}`)
  return value
}

export async function runInterpolate(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      frames: { type: 'string' },
      mode: { type: 'string' },
      out: { type: 'string' },
      gif: { type: 'string' },
      delay: { type: 'string' }
    },
    { min: 1, max: 1, usage: interpolateUsage }
  )
  const from = required(numberFlag('from', values.from, { min: 0, max: 1e9, integer: true }), 'from', interpolateUsage)
  const to = required(numberFlag('to', values.to, { min: 0, max: 1e9, integer: true }), 'to', interpolateUsage)
  const out = path.resolve(required(values.out, 'out', interpolateUsage))
  const frames = numberFlag('frames', values.frames, { min: 2, max: 64, integer: true }) ?? 8
  const mode = choiceFlag('mode', values.mode, ['linear', 'spherical'] as const) ?? 'spherical'
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const { images } = await studio.latentInterpolate({ a: { index: from }, b: { index: to }, frames, mode })
  await studio.exportPng({ images, columns: frames, path: out })
  let gif: string | null = null
  if (values.gif) {
    gif = path.resolve(values.gif)
    const delayMs = numberFlag('delay', values.delay, { min: 10, max: 10_000, integer: true }) ?? 100
    // Ping-pong so the loop has no jump back to the start.
    await studio.exportAnimation({ frames: [...images, ...images.slice(1, -1).reverse()], format: 'gif', delayMs, loop: 0, path: gif })
  }
  reporter.record(
    'result',
    { out, gif, frames, mode },
    `wrote ${frames} frames (${mode}) from image ${from} to image ${to} to ${values.out}${gif ? ` and ${values.gif}` : ''}`
  )
}

export async function runArithmetic(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    {
      a: { type: 'string' },
      b: { type: 'string' },
      c: { type: 'string' },
      out: { type: 'string' },
      save: { type: 'string' },
      recipe: { type: 'string' }
    },
    { min: 1, max: 1, usage: arithmeticUsage }
  )
  const out = path.resolve(required(values.out, 'out', arithmeticUsage))
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  let groups: { a: number[]; b: number[]; c: number[] }
  if (values.recipe) {
    const recipe = (await studio.recipeList()).find((r) => r.name === values.recipe)
    if (!recipe) throw new UsageError(`no recipe named "${values.recipe}" in this project`)
    groups = { a: recipe.a, b: recipe.b, c: recipe.c }
  } else {
    groups = {
      a: required(indexListFlag('a', values.a), 'a', arithmeticUsage),
      b: required(indexListFlag('b', values.b), 'b', arithmeticUsage),
      c: required(indexListFlag('c', values.c), 'c', arithmeticUsage)
    }
  }
  const { image } = await studio.latentArithmetic(groups)
  await studio.exportPng({ images: [image], columns: 1, path: out })
  if (values.save) await studio.recipeSave({ name: values.save, a: groups.a, b: groups.b, c: groups.c })
  reporter.record(
    'result',
    { out, ...groups, saved: values.save ?? null },
    `wrote mean(${groups.a}) − mean(${groups.b}) + mean(${groups.c}) to ${values.out}${values.save ? `; saved as recipe "${values.save}"` : ''}`
  )
}

export async function runAttribute(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    {
      name: { type: 'string' },
      with: { type: 'string' },
      without: { type: 'string' },
      'from-label': { type: 'string' },
      apply: { type: 'string' },
      amounts: { type: 'string' },
      out: { type: 'string' }
    },
    { min: 1, max: 1, usage: attributeUsage }
  )
  const label = choiceFlag('from-label', values['from-label'], ['happy', 'age', 'gender'] as const)
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
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
  name = required(name, 'name', attributeUsage)
  const withIndices = indexListFlag('with', values.with)
  const withoutIndices = indexListFlag('without', values.without)
  if (withIndices || withoutIndices) {
    const attributes = await studio.attributeCreate({
      name,
      withIndices: required(withIndices, 'with', attributeUsage),
      withoutIndices: required(withoutIndices, 'without', attributeUsage)
    })
    const vector = attributes.find((a) => a.name === name)!.vector
    reporter.record(
      'result',
      { name, vector },
      `saved attribute "${name}" (length ${formatNumber(Math.hypot(...vector))}) from ${withIndices?.length} vs ${withoutIndices?.length} images`
    )
  }
  if (values.apply !== undefined) {
    const index = required(numberFlag('apply', values.apply, { min: 0, max: 1e9, integer: true }), 'apply', attributeUsage)
    const amounts = values.amounts
      ? values.amounts.split(',').map((v) => numberFlag('amounts', v, { min: -20, max: 20 })!)
      : [-2, -1, 0, 1, 2]
    const out = path.resolve(required(values.out, 'out', attributeUsage))
    const { images } = await studio.attributeApply({ ref: { index }, name, amounts })
    await studio.exportPng({ images, columns: images.length, path: out })
    reporter.record(
      'result',
      { out, name, index, amounts },
      `wrote image ${index} with "${name}" at ${amounts.join(', ')} to ${values.out}`
    )
  } else if (!withIndices && !label) {
    throw new UsageError(`give --with and --without (or --from-label) to create "${name}", or --apply to use it\nusage: ${attributeUsage}`)
  }
}

export async function runDenoise(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    { image: { type: 'string' }, noise: { type: 'string' }, amount: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
    { min: 1, max: 1, usage: denoiseUsage }
  )
  const index = required(numberFlag('image', values.image, { min: 0, max: 1e9, integer: true }), 'image', denoiseUsage)
  const out = path.resolve(required(values.out, 'out', denoiseUsage))
  const kind = choiceFlag('noise', values.noise, ['gaussian', 'salt-pepper', 'mask'] as const) ?? 'gaussian'
  const amount = numberFlag('amount', values.amount, { min: 0, max: 1 }) ?? (kind === 'mask' ? 0.35 : 0.2)
  const noise: NoiseSpec =
    kind === 'gaussian'
      ? { kind, sigma: amount }
      : kind === 'salt-pepper'
        ? { kind, amount }
        : { kind, x: (1 - amount) / 2, y: (1 - amount) / 2, width: amount, height: amount }
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const result = await studio.toolsDenoise({
    index,
    noise,
    seed: numberFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1, integer: true }) ?? 1
  })
  await studio.exportPng({ images: [result.clean, result.noisy, result.denoised], columns: 3, path: out })
  const { clean: _c, noisy: _n, denoised: _d, ...figures } = result
  reporter.record(
    'result',
    { out, ...figures },
    `wrote clean | noisy | denoised to ${values.out}: PSNR ${formatNumber(result.psnrNoisy)} dB → ${formatNumber(result.psnrDenoised)} dB, SSIM ${formatNumber(result.ssimNoisy, 3)} → ${formatNumber(result.ssimDenoised, 3)}`
  )
}

export async function runExportModel(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, { out: { type: 'string' } }, { min: 1, max: 1, usage: exportModelUsage })
  const folder = path.resolve(required(values.out, 'out', exportModelUsage))
  await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const exported = await studio.exportModel({ folder })
  reporter.record(
    'result',
    { ...exported },
    `wrote the encoder and decoder (TensorFlow.js layers format) to ${values.out}\n  ${exported.encoder}\n  ${exported.decoder}`
  )
}
