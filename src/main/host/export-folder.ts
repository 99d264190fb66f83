/**
 * Where exports go unless the user picks another folder: a visible folder where people look for
 * pictures — `Pictures/VAE Studio/<project>` (the desktop's own Pictures folder, as
 * xdg-user-dirs names it on Linux), or `~/VAE Studio exports/<project>` where there is none —
 * never the hidden data folder the studio keeps its projects in.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import * as path from 'node:path'

export interface ExportFolderFacts {
  home: string
  env: NodeJS.ProcessEnv
}

const isFolder = (folder: string): boolean => existsSync(folder) && statSync(folder).isDirectory()

/** `XDG_PICTURES_DIR` from user-dirs.dirs (`"$HOME/Bilder"` on a German desktop), if it names a folder. */
function xdgPictures({ home, env }: ExportFolderFacts): string | null {
  const configHome = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(home, '.config')
  let text: string
  try {
    text = readFileSync(path.join(configHome, 'user-dirs.dirs'), 'utf8')
  } catch {
    return null
  }
  const match = /^\s*XDG_PICTURES_DIR\s*=\s*"([^"]*)"/m.exec(text)
  if (!match) return null
  const folder = match[1].replace(/^\$HOME(?=\/|$)/, home)
  // A value equal to $HOME means the desktop has no Pictures folder of its own.
  return path.isAbsolute(folder) && path.resolve(folder) !== path.resolve(home) && isFolder(folder) ? folder : null
}

export function picturesFolder(facts: ExportFolderFacts): string | null {
  const standard = path.join(facts.home, 'Pictures')
  return xdgPictures(facts) ?? (isFolder(standard) ? standard : null)
}

/** A project's folder name without `.vaeproj`, safe as a folder name. */
function exportName(projectPath: string | null): string | null {
  if (!projectPath) return null
  const name = path
    .basename(projectPath)
    .replace(/\.vaeproj$/i, '')
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/^\.+/, '')
    .trim()
  return name || null
}

export function defaultExportFolder(projectPath: string | null, facts: ExportFolderFacts = { home: homedir(), env: process.env }): string {
  const pictures = picturesFolder(facts)
  const base = pictures ? path.join(pictures, 'VAE Studio') : path.join(facts.home, 'VAE Studio exports')
  const name = exportName(projectPath)
  return name ? path.join(base, name) : base
}
