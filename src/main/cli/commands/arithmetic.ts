/** `vae-studio arithmetic`: mean(a) − mean(b) + mean(c) of image codes, decoded; recipes keep a sum for later. */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand, imageNumbersNote } from '../command-spec'
import { imageNumberListFlag, toNumbers, toRows } from '../image-numbers'
import { parseCommand, required } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const arithmeticCommand = defineCommand({
  name: 'arithmetic',
  summary: 'decodes mean(a) − mean(b) + mean(c) of the images’ codes (e.g. smiling woman − woman + man)',
  usage: '<project.vaeproj> (--a 1,2 --b 3 --c 4 [--save <name>] | --recipe <name>) --out result.png',
  positionals: { min: 1, max: 1 },
  options: {
    a: { type: 'string', value: '<image#,…>', help: 'the images whose mean code is the start' },
    b: { type: 'string', value: '<image#,…>', help: 'the images whose mean code is taken away' },
    c: { type: 'string', value: '<image#,…>', help: 'the images whose mean code is added' },
    out: { type: 'string', value: '<file.png>', help: 'the decoded result' },
    save: { type: 'string', value: '<name>', help: 'keep these three groups in the project as a recipe' },
    recipe: { type: 'string', value: '<name>', help: 'use a recipe saved before (here or in the studio) instead of --a --b --c' },
    backend: backendOption
  },
  notes: [imageNumbersNote]
})

export async function runArithmetic(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, arithmeticCommand)
  const out = path.resolve(required(values.out, 'out', arithmeticCommand))
  const typed = values.recipe
    ? null
    : {
        a: required(imageNumberListFlag('a', values.a), 'a', arithmeticCommand),
        b: required(imageNumberListFlag('b', values.b), 'b', arithmeticCommand),
        c: required(imageNumberListFlag('c', values.c), 'c', arithmeticCommand)
      }
  const { imageCount } = await studio.projectOpen({ path: path.resolve(positionals[0]) })
  let rows: { a: number[]; b: number[]; c: number[] }
  if (typed) {
    rows = { a: toRows('a', typed.a, imageCount), b: toRows('b', typed.b, imageCount), c: toRows('c', typed.c, imageCount) }
  } else {
    const recipe = (await studio.recipeList()).find((r) => r.name === values.recipe)
    if (!recipe) throw new UsageError(`no recipe named "${values.recipe}" in this project`)
    rows = { a: recipe.a, b: recipe.b, c: recipe.c }
  }
  const { image } = await studio.latentArithmetic(rows)
  await studio.exportPng({ images: [image], columns: 1, path: out })
  if (values.save) await studio.recipeSave({ name: values.save, ...rows })
  const shown = { a: toNumbers(rows.a), b: toNumbers(rows.b), c: toNumbers(rows.c) }
  reporter.record(
    'result',
    { out, ...shown, saved: values.save ?? null },
    `wrote mean(${shown.a}) − mean(${shown.b}) + mean(${shown.c}) to ${values.out}${values.save ? `; saved as recipe "${values.save}"` : ''}`
  )
}
