/**
 * File access from a renderer is limited to folders the user chose (a dialog, a drop, the command
 * line). Paths are resolved through symlinks before comparing, so a link inside a chosen folder
 * cannot lead outside it. A path that does not exist yet (a new project) is judged by its parent.
 */
import { realpathSync } from 'node:fs'
import * as path from 'node:path'
import { StudioError } from '../../shared/errors'

function realOrParent(target: string): string {
  const absolute = path.resolve(target)
  try {
    return realpathSync(absolute)
  } catch {
    const parent = path.dirname(absolute)
    if (parent === absolute) return absolute
    return path.join(realOrParent(parent), path.basename(absolute))
  }
}

export class PathPolicy {
  private roots = new Set<string>()

  constructor(roots: string[] = []) {
    roots.forEach((root) => this.allow(root))
  }

  allow(root: string): void {
    this.roots.add(realOrParent(root))
  }

  /** The real path of `target`, or a `forbidden-path` error naming what may be used instead. */
  check(target: string): string {
    if (target.includes('\0')) throw new StudioError('invalid-request', 'the path contains a NUL character')
    const real = realOrParent(target)
    for (const root of this.roots) {
      const rel = path.relative(root, real)
      // '..' as a whole segment leaves the root; a name that merely starts with dots ("..faces") does not.
      if (rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))) return real
    }
    throw new StudioError('forbidden-path', `${target} is outside the folders you chose; pick it with "Choose folder…" first`)
  }

  /** The chosen folder that contains `real`, if any (for the folder chooser's "up" limit). */
  rootOf(real: string): string | undefined {
    return [...this.roots].find((root) => real === root)
  }
}
