import { configDefaults, defineConfig } from 'vitest/config'
import base from './vitest.config.mts'

/** Experiments that informed decisions (see each folder's README): run on demand, not by `npm test`. */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/experiments/**/*.test.ts'], exclude: configDefaults.exclude }
})
