/**
 * Where the code of a separately started entry is (the engine process, a worker thread). In a
 * build every entry is its own file, `<name>.js`, beside the bundle that starts it (or one folder
 * up, when the starter sits in a shared chunk); from the sources (vitest, tsx) there is no such
 * file and the entry's TypeScript starts through tsx.
 *
 * One place for this rule, used by the host (forking the engine process) and the worker pool
 * (starting threads). Imports nothing of the engine, so the host stays free of tfjs.
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'

/** The engine's sources, from this folder (`src/main/engine/`). */
const engineSources = path.resolve(__dirname, '..')

export type EntryPoint = { built: true; file: string } | { built: false; file: string }

/**
 * `<name>.js` beside this code when built, else `source` (a path under `src/main/engine/`).
 * Throws when neither exists: a build that lacks the entry says so instead of failing later.
 */
export function findEntry(name: string, source: string): EntryPoint {
  const built = [path.join(__dirname, `${name}.js`), path.join(__dirname, '..', `${name}.js`)].find((file) => existsSync(file))
  if (built) return { built: true, file: built }
  const file = path.join(engineSources, source)
  if (!existsSync(file)) throw new Error(`${name}.js is missing beside ${__dirname} (is it an entry of the build?)`)
  return { built: false, file }
}

/** `--import` argument that makes a child Node process run TypeScript (resolved here: the child may start anywhere). */
export function tsxLoader(): string {
  return pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href
}

/** Code for an `eval` worker thread that runs the TypeScript file `file` through tsx. */
export function tsxBoot(file: string): string {
  return `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)})`
}
