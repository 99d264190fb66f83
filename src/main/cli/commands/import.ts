/** `vae-studio import <folder> --out <project>`: creates (or reuses) a project and imports a folder. */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { importOptionsSchema } from '../../../shared/config'
import type { ImportResult, StudioApi } from '../../../shared/contract'
import { choiceFlag, numberFlag, parseCommand } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const importUsage =
  'vae-studio import <folder> --out <project.vaeproj> [--size 32|64|128] [--gray|--colour] [--faces align|off] [--framing tight|face-and-hair] [--min-face <px>] [--largest] [--fit crop|pad]'

export async function runImport(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    {
      out: { type: 'string' },
      size: { type: 'string' },
      fit: { type: 'string' },
      gray: { type: 'boolean' },
      colour: { type: 'boolean' },
      color: { type: 'boolean' },
      faces: { type: 'string' },
      framing: { type: 'string' },
      'min-face': { type: 'string' },
      largest: { type: 'boolean' }
    },
    { min: 1, max: 1, usage: importUsage }
  )
  if (!values.out) throw new UsageError(`--out is required\nusage: ${importUsage}`)
  const folder = path.resolve(positionals[0])
  if (!existsSync(folder)) throw new UsageError(`folder not found: ${positionals[0]}`)
  const colour = values.colour || values.color
  if (values.gray && colour) throw new UsageError(`--gray and --colour cannot go together\nusage: ${importUsage}`)
  const size = numberFlag('size', values.size, { min: 32, max: 128, integer: true })
  if (size !== undefined && ![32, 64, 128].includes(size)) throw new UsageError(`--size must be 32, 64 or 128, not ${size}`)
  const faces = {
    find: (choiceFlag('faces', values.faces, ['align', 'off'] as const) ?? 'align') === 'align',
    framing: choiceFlag('framing', values.framing, ['tight', 'face-and-hair'] as const),
    minFaceSize: numberFlag('min-face', values['min-face'], { min: 0, max: 10_000, integer: true }),
    which: values.largest ? 'largest' : undefined
  }
  const options = importOptionsSchema.parse({
    size,
    fit: choiceFlag('fit', values.fit, ['crop', 'pad'] as const),
    // Neither flag: grey when every image is grey, colour otherwise.
    channels: values.gray ? 1 : colour ? 3 : 'auto',
    faces
  })
  const project = path.resolve(values.out)
  if (existsSync(path.join(project, 'project.json'))) await studio.projectOpen({ path: project })
  else await studio.projectCreate({ path: project })
  const { imageLibrary } = await studio.engineInfo()
  if (imageLibrary.problem)
    reporter.record(
      'notice',
      { message: imageLibrary.problem, imageLibrary: imageLibrary.name },
      `${imageLibrary.problem}: decoding with ${imageLibrary.name}`
    )
  studio.on('dataset:progress', (p) => reporter.importProgress(p))
  const result = await studio.datasetImport({ folder, options })
  reporter.record('import', { project, ...result }, importSummary(result, values.out).join('\n'))
}

/** The import's outcome in plain lines: counts, how the images were stored, what to know, what was skipped. */
export function importSummary(result: ImportResult, out: string): string[] {
  const stored = result.options ? ` (${result.options.channels === 1 ? 'grayscale' : 'colour'}, ${result.options.size} px)` : ''
  const lines = [`imported ${result.imported} image(s) into ${out}${stored}`]
  if (result.duplicates) {
    const copies = result.duplicates === 1 ? '1 duplicate file' : `${result.duplicates} duplicate files`
    lines.push(`${copies} skipped: same content as a file imported once`)
  }
  if (result.faces) {
    const f = result.faces
    const whole = f.keptWhole ? `; ${f.keptWhole} small portrait(s) without a face found kept whole` : ''
    lines.push(
      `faces: ${f.faces} found in ${f.photos} photo(s); ${f.photosWithoutFace} photo(s) without a face${whole}; ${f.facesSkipped} face(s) left out by the options`
    )
    if (f.mostlyNoFaces)
      lines.push(
        'most photos have no face: if these are not face photos (or are already aligned crops), import them whole with --faces off'
      )
  }
  for (const notice of result.notices ?? []) lines.push(`note: ${notice}`)
  if (result.skipped.length)
    lines.push(`skipped ${result.skipped.length} file(s):`, ...result.skipped.map((s) => `  ${s.file}: ${s.reason}`))
  return lines
}
