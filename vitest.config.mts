import { configDefaults, defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Experiments run on demand (`npm run test:experiments`): they train for minutes.
    exclude: [...configDefaults.exclude, 'test/experiments/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Training tests are CPU-bound: running files in parallel on 2 cores only slows each down.
    fileParallelism: false,
    pool: 'forks'
  }
})
