/**
 * Lists the candidate files under a folder the user picked. A photo folder is untrusted: it may
 * hold symlinks that loop or lead elsewhere on the disk, folders we may not read, sockets and
 * FIFOs (which would block a read forever). None of these may crash or hang an import, and each
 * one the user could be surprised by is reported, never silently dropped. Hidden entries (dot
 * names: .git, .DS_Store, editors' temp files) are not part of the dataset and are not reported.
 *
 * Symlinked files inside the folder are read like any file (their content then shows up as a
 * duplicate of the target). Symlinked folders are never descended into: one leading outside is
 * out of bounds, and one leading inside points at a folder the walk reaches anyway, so following
 * it could only loop or count the same photos twice.
 */
import type { Dirent } from 'node:fs'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { StudioError } from '../../../shared/errors'
import { displayName } from './display-name'
import { errMessage } from '../image/error-message'

/**
 * `path` is bytes: names are read from the disk as bytes and never decoded on the way to a read,
 * so a file whose name is not UTF-8 is opened by its real name. `file` is the name shown.
 */
export type WalkEntry = { file: string; path: Buffer } | { file: string; reason: string }

export interface WalkOptions {
  /** A folder to leave out even if it lies inside the walked one (the dataset's own output). */
  exclude?: string
}

type Target = { type: 'file' } | { type: 'other' } | { type: 'dir'; real: Buffer } | { type: 'skip'; reason: string }

const separator = Buffer.from(path.sep)

/** Returns every entry, sorted by relative path ('/' separators) so imports are deterministic. */
export async function walkFolder(folder: string, options: WalkOptions = {}): Promise<WalkEntry[]> {
  const root = Buffer.from(await resolveRoot(folder))
  const exclude = options.exclude ? await fs.realpath(options.exclude, { encoding: 'buffer' }).catch(() => undefined) : undefined
  const isExcluded = (real: Buffer): boolean => exclude !== undefined && real.equals(exclude)
  const entries: WalkEntry[] = []
  /** Real path of every folder walked (as latin1, one char per byte) → its relative name, to explain links to it. */
  const walked = new Map<string, string>([[root.toString('latin1'), '.']])
  const linkedDirs: Array<{ file: string; real: Buffer; parentReal: Buffer }> = []

  async function walkDir(dirPath: Buffer, rel: string): Promise<void> {
    let children: Dirent<Buffer>[]
    try {
      children = await fs.readdir(dirPath, { withFileTypes: true, encoding: 'buffer' })
    } catch (err) {
      if (rel === '') throw new StudioError('forbidden-path', `cannot read folder ${folder}: ${errMessage(err)}`)
      entries.push({ file: rel, reason: `unreadable: ${errMessage(err)}` })
      return
    }
    for (const child of children) {
      if (child.name[0] === 0x2e) continue // '.': hidden
      const childPath = Buffer.concat([dirPath, separator, child.name])
      const name = displayName(child.name)
      const file = rel === '' ? name : `${rel}/${name}`
      const target = await resolveTarget(child, childPath)
      if (target.type === 'skip') entries.push({ file, reason: target.reason })
      else if (target.type === 'file') entries.push({ file, path: childPath })
      else if (target.type === 'other') entries.push({ file, reason: 'not an image: not a regular file' })
      else if (child.isSymbolicLink()) linkedDirs.push({ file, real: target.real, parentReal: dirPath })
      else if (!isExcluded(target.real)) {
        walked.set(target.real.toString('latin1'), file)
        await walkDir(childPath, file)
      }
    }
  }

  /** Resolves symlinks, refusing any whose target lies outside the root: the user picked that folder, no more. */
  async function resolveTarget(child: Dirent<Buffer>, childPath: Buffer): Promise<Target> {
    const symlink = child.isSymbolicLink()
    if (!symlink && child.isFile()) return { type: 'file' }
    let real: Buffer
    try {
      real = await fs.realpath(childPath, { encoding: 'buffer' })
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ELOOP') return { type: 'skip', reason: 'symlink loop' }
      if (code === 'ENOENT' && symlink) return { type: 'skip', reason: `unreadable: broken symlink (${errMessage(err)})` }
      return { type: 'skip', reason: `unreadable: ${errMessage(err)}` }
    }
    if (symlink && !isInside(root, real)) return { type: 'skip', reason: 'symlink outside the folder' }
    try {
      const stat = await fs.stat(real)
      if (stat.isDirectory()) return { type: 'dir', real }
      return stat.isFile() ? { type: 'file' } : { type: 'other' }
    } catch (err) {
      return { type: 'skip', reason: `unreadable: ${errMessage(err)}` }
    }
  }

  // walkDir passes real paths below the root, so a link's parent folder is already real.
  await walkDir(root, '')
  for (const { file, real, parentReal } of linkedDirs) {
    if (isExcluded(real)) continue
    const earlier = walked.get(real.toString('latin1'))
    if (isInside(real, parentReal)) entries.push({ file, reason: 'symlink loop' })
    else if (earlier !== undefined) entries.push({ file, reason: `symlink to a folder already included (${earlier})` })
    else entries.push({ file, reason: 'symlink to a hidden or left-out folder' })
  }
  return entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

async function resolveRoot(folder: string): Promise<string> {
  let root: string
  try {
    root = await fs.realpath(folder)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioError('not-found', `folder not found: ${folder}`)
    throw new StudioError('forbidden-path', `cannot read folder ${folder}: ${errMessage(err)}`)
  }
  const stat = await fs.stat(root)
  if (!stat.isDirectory()) throw new StudioError('not-found', `folder not found: ${folder} is a file, not a folder`)
  return root
}

/** Whether real path `target` is `root` or lies below it (both real, so a byte prefix decides). */
function isInside(root: Buffer, target: Buffer): boolean {
  if (target.equals(root)) return true
  const prefix = root.at(-1) === separator[0] ? root : Buffer.concat([root, separator])
  return target.length > prefix.length && target.subarray(0, prefix.length).equals(prefix)
}
