import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  main: {
    build: {
      // electron-store is ESM-only; bundling it lets the CommonJS main require it.
      externalizeDeps: { exclude: ['electron-store'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'engine-process': resolve(__dirname, 'src/main/engine/process/entry.ts'),
          'decode-worker': resolve(__dirname, 'src/main/engine/inference/decode-worker.ts'),
          'face-worker': resolve(__dirname, 'src/main/engine/faces/face-worker.ts'),
          'face-embed-worker': resolve(__dirname, 'src/main/engine/quality/face-embed-worker.ts'),
          'train-worker': resolve(__dirname, 'src/main/engine/train/parallel/train-worker.ts'),
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
