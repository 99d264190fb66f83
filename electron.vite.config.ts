import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { workerEntries } from './src/main/engine/workers/worker-entries'

const engineWorkers = Object.fromEntries(
  Object.entries(workerEntries).map(([name, file]) => [name, resolve(__dirname, 'src/main/engine', file)])
)

export default defineConfig({
  main: {
    build: {
      // electron-store is ESM-only; bundling it lets the CommonJS main require it.
      externalizeDeps: { exclude: ['electron-store'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'engine-process': resolve(__dirname, 'src/main/engine/process/entry.ts'),
          ...engineWorkers,
          cli: resolve(__dirname, 'src/main/cli/index.ts')
        }
      }
    }
  },
  preload: {
    // A sandboxed preload may require nothing but 'electron': the contract (and zod) is bundled in.
    build: { externalizeDeps: { exclude: ['zod'] } }
  },
  renderer: {
    plugins: [svelte()]
  }
})
