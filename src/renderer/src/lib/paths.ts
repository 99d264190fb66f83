/**
 * Path helpers for paths the host hands out. The renderer cannot use node:path, and the host may
 * run on Windows, so the separator is taken from the path itself.
 */
function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/'
}

export function joinPath(folder: string, name: string): string {
  const sep = separatorOf(folder)
  return folder.endsWith(sep) ? folder + name : folder + sep + name
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean)
  return parts.length ? parts[parts.length - 1] : path
}

/** Project folders are named `Name.vaeproj`; the studio shows just `Name`. */
export function projectName(path: string): string {
  return baseName(path).replace(/\.vaeproj$/i, '')
}

/** Turns a free-text name into a safe folder name (no separators, no leading dots). */
export function safeFolderName(name: string): string {
  return name
    .trim()
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/^\.+/, '')
    .slice(0, 120)
}
