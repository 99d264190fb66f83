/**
 * File access from a renderer is limited to folders the user chose (a dialog, a drop, the command
 * line). Paths are resolved through symlinks before comparing, so a link inside a chosen folder
 * cannot lead outside it. A path that does not exist yet (a new project) is judged by its parent.
 *
 * Some roots are places a person would go to (their home, where they started the studio, a
 * folder they allowed on the command line): those have a label, are offered as shortcuts in the
 * folder chooser and are named when a path is refused, with how to add another.
 */
import { realpathSync, statSync } from 'node:fs'
import * as path from 'node:path'
import type { FolderPlace } from '../../shared/contract'
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

/** The folder to allow for `target`: itself if it is one, else the nearest folder above it that exists. */
function nearestFolder(target: string): string {
  let folder = path.resolve(target)
  while (!isFolder(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder)
  return folder
}

function isFolder(target: string): boolean {
  try {
    return statSync(target).isDirectory()
  } catch {
    return false
  }
}

function inside(root: string, real: string): boolean {
  const rel = path.relative(root, real)
  // '..' as a whole segment leaves the root; a name that merely starts with dots ("..faces") does not.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

export interface PolicyOptions {
  /** The command line that makes `folder` (a placeholder when none is given) reachable: serve mode's `--allow`; absent where a dialog does it. */
  allowCommand?: (folder?: string) => string
}

export class PathPolicy {
  /** Every root, with its label where it is a place to offer. */
  private roots = new Map<string, string | undefined>()

  constructor(
    roots: Array<string | FolderPlace> = [],
    private readonly options: PolicyOptions = {}
  ) {
    for (const root of roots) {
      if (typeof root === 'string') this.allow(root)
      else this.allow(root.path, root.label)
    }
  }

  /** Adds a root; `label` makes it a place the chooser offers (a later label for the same folder does not replace the first). */
  allow(root: string, label?: string): void {
    const real = realOrParent(root)
    this.roots.set(real, this.roots.get(real) ?? label)
  }

  /** The real path of `target`, or a `forbidden-path` error naming the folders that can be used and how to add one. */
  check(target: string): string {
    if (target.includes('\0')) throw new StudioError('invalid-request', 'the path contains a NUL character')
    const real = realOrParent(target)
    for (const root of this.roots.keys()) if (inside(root, real)) return real
    throw new StudioError('forbidden-path', this.refusal(target))
  }

  allows(target: string): boolean {
    const real = realOrParent(target)
    return [...this.roots.keys()].some((root) => inside(root, real))
  }

  /** The labelled roots, in the order they were allowed. */
  places(): FolderPlace[] {
    return [...this.roots].flatMap(([root, label]) => (label ? [{ label, path: root }] : []))
  }

  /** The command line that makes `folder` (or any folder, as a placeholder) reachable, where one can. */
  howToAllow(folder?: string): string | null {
    return this.options.allowCommand?.(folder) ?? null
  }

  /** The folder above `real` when it may be shown too (the chooser's "Up"), else null. */
  parentOf(real: string): string | null {
    const parent = path.dirname(real)
    return parent !== real && this.allows(parent) ? parent : null
  }

  private refusal(target: string): string {
    const places = this.places()
    const reachable = places.length ? `; it can open ${places.map((p) => `${p.path} (${p.label.toLowerCase()})`).join(', ')}` : ''
    const command = this.howToAllow(nearestFolder(target))
    const how = command ? ` To open it, stop the studio (Ctrl+C where it runs) and start it again with: ${command}` : ''
    return `${target} is outside the folders this studio may open${reachable}.${how}`
  }
}
