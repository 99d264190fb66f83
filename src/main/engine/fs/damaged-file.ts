/**
 * A file the studio reads back (a project's quality files, the face cache) and finds damaged is never silently dropped or
 * overwritten: it is renamed beside itself with the time it was found
 * (`quality.damaged-2026-12-06T21-04-05.json`), so whatever it held can still be looked at, and
 * the caller says so with the new name.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'

/** `quality.json` → `quality.damaged-2026-12-06T21-04-05.json` (UTC, `-` for `:` so every file system takes it). */
export function damagedName(file: string, at: Date = new Date()): string {
  const ext = path.extname(file)
  const stamp = at.toISOString().slice(0, 19).replace(/:/g, '-')
  return path.join(path.dirname(file), `${path.basename(file, ext)}.damaged-${stamp}${ext}`)
}

/**
 * Renames `file` to its dated damaged name (with a counter if that exists already); the new base
 * name, or null when it could not be moved (a read-only folder: then it is left where it is).
 */
export async function setAside(file: string, at: Date = new Date()): Promise<string | null> {
  const base = damagedName(file, at)
  for (let n = 1; n < 100; n++) {
    const target = n === 1 ? base : base.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`)
    try {
      // A hard link refuses an existing name, unlike rename; then the original goes.
      await fs.link(file, target)
      await fs.rm(file, { force: true })
      return path.basename(target)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
        return fs.rename(file, target).then(
          () => path.basename(target),
          () => null
        )
      }
      return null
    }
  }
  return null
}
