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

/**
 * `workers`: worker-thread entries the script starts (name → source), bundled beside it as
 * `<name>.js`, where the engine looks for them as it does in the app's build.
 */
export async function bundleScript(entry: string, workers: Record<string, string> = {}): Promise<Bundle> {
  const outDir = path.join(
    repoRoot,
    'node_modules',
    '.cache',
    'vae-hardening',
    `${path.basename(entry, '.ts')}-${randomBytes(4).toString('hex')}`
  )
  await build({
    configFile: false,
    logLevel: 'warn',
    root: repoRoot,
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: {
        input: { index: path.resolve(entry), ...workers },
        output: { format: 'cjs', entryFileNames: (chunk) => (chunk.name === 'index' ? 'index.cjs' : '[name].js') }
      }
    }
  })
  return { file: path.join(outDir, 'index.cjs'), remove: () => fs.rm(outDir, { recursive: true, force: true }) }
}
