/**
 * Bundles a TypeScript entry into one CommonJS file that plain `node` runs, for tests that start
 * processes many times (an engine killed 20 times, an import run as another user): through tsx
 * each start would spend seconds compiling. Dependencies stay external, so the bundle is written
 * inside `node_modules/.cache`, where Node finds them, and always from the current sources.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { build } from 'vite'

const repoRoot = path.resolve(__dirname, '../../..')

export interface Bundle {
  file: string
  remove(): Promise<void>
}

export async function bundleScript(entry: string): Promise<Bundle> {
  const outDir = path.join(repoRoot, 'node_modules', '.cache', 'vae-hardening', `${path.basename(entry, '.ts')}-${randomBytes(4).toString('hex')}`)
  await build({
    configFile: false,
    logLevel: 'warn',
    root: repoRoot,
    build: {
      ssr: path.resolve(entry),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: 'index.cjs' } }
    }
  })
  return { file: path.join(outDir, 'index.cjs'), remove: () => fs.rm(outDir, { recursive: true, force: true }) }
}
