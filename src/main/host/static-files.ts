/**
 * Maps request paths to files of the built renderer, for the serve-mode server and the Electron
 * `app://` protocol. The path comes from an untrusted client: it is decoded once, normalised, and
 * must stay inside the renderer folder (symlinks included) or it is refused.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

export function mimeType(file: string): string {
  return mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export type StaticLookup = { status: 200; file: string; size: number } | { status: 400 | 403 | 404; reason: string }

/** `root` must be an absolute, real (symlink-free) path. */
export async function lookupStaticFile(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return { status: 400, reason: 'bad path encoding' }
  }
  if (decoded.includes('\0')) return { status: 400, reason: 'bad path' }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^[/\\]+/, '')
  const target = path.resolve(root, relative)
  if (!isInside(root, target)) return { status: 403, reason: 'outside the app' }
  let real: string
  try {
    real = await fs.realpath(target)
  } catch {
    return { status: 404, reason: 'not found' }
  }
  if (!isInside(root, real)) return { status: 403, reason: 'outside the app' }
  const stat = await fs.stat(real)
  if (!stat.isFile()) return { status: 404, reason: 'not found' }
  return { status: 200, file: real, size: stat.size }
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)
}
