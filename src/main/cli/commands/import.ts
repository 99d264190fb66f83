/** `vae-studio import <folder> --out <project>`: creates (or reuses) a project and imports a folder. */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { importOptionsSchema } from '../../../shared/config'
import type { ImportResult, StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand } from '../command-spec'
import { choiceFlag, numberFlag, parseCommand, required } from '../options'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const importCommand = defineCommand({
  name: 'import',
  summary: 'imports a folder of images into a project (new or existing), finding and aligning every face',
  usage:
    '<folder> --out <project.vaeproj> [--size 32|64|128] [--gray|--colour] [--faces align|off] [--framing tight|face-and-hair] [--min-face <px>] [--largest] [--fit crop|pad]',
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: '<project.vaeproj>', help: 'the project to import into; made if it does not exist' },
    size: { type: 'string', value: '32|64|128', help: 'the images’ side in pixels (default 64)' },
    gray: { type: 'boolean', help: 'import in grayscale (default: grayscale when every image is grey, colour otherwise)' },
    colour: { type: 'boolean', help: 'import in colour even when every image is grey' },
    color: { type: 'boolean', help: 'the same as --colour' },
    faces: {
      type: 'string',
      value: 'align|off',
      help: 'find and align every face (default), or import whole files (already aligned crops)'
    },
    framing: { type: 'string', value: 'tight|face-and-hair', help: 'how much around each face is kept (default tight)' },
    'min-face': { type: 'string', value: '<px>', help: 'leave out faces narrower than this in the photo (default 0: keep all)' },
    largest: { type: 'boolean', help: 'only the largest face of each photo' },
    fit: { type: 'string', value: 'crop|pad', help: 'whole files: crop to a square or pad to one (default crop)' },
    backend: backendOption
  }
})

export async function runImport(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, importCommand)
  const out = required(values.out, 'out', importCommand)
  const folder = path.resolve(positionals[0])
  if (!existsSync(folder)) throw new UsageError(`folder not found: ${positionals[0]}`)
  const colour = values.colour || values.color
  if (values.gray && colour) throw new UsageError('--gray and --colour cannot go together')
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
  const project = path.resolve(out)
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
  reporter.record('import', { project, ...result }, importSummary(result, out).join('\n'))
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
