/**
 * Finds the project a launch asks to open (`vae-studio-app My.vaeproj`, or a double-clicked
 * project folder). Chromium adds its own switches to a second instance's argv, so only a
 * non-switch argument naming a `.vaeproj` counts.
 */
import * as path from 'node:path'

export function projectFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = argv.length - 1; i > 0; i--) {
    const arg = argv[i].replace(/[/\\]+$/, '')
    if (!arg.startsWith('-') && arg.toLowerCase().endsWith('.vaeproj')) return path.resolve(cwd, arg)
  }
  return null
}

/**
 * A folder of images given at launch (`npm start -- ~/Pictures/faces`): the last non-switch
 * argument naming an existing folder that is neither a project nor the app itself.
 */
export function imageFolderFromArgv(
  argv: readonly string[],
  cwd: string,
  appPath: string,
  isFolder: (p: string) => boolean
): string | null {
  for (let i = argv.length - 1; i > 0; i--) {
    if (argv[i].startsWith('-')) continue
    const candidate = path.resolve(cwd, argv[i])
    if (candidate === path.resolve(appPath) || candidate.toLowerCase().endsWith('.vaeproj')) continue
    if (isFolder(candidate)) return candidate
  }
  return null
}
