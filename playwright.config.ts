/**
 * End-to-end tests through the real UI. 'serve-chromium' drives Debian's Chromium against
 * `vae-studio serve`; 'electron-stand-in' runs the desktop app's real built main, preload and
 * renderer with test/electron-stand-in in place of Electron (Debian's Chromium shows the
 * windows); 'electron' drives real Electron and skips (saying why) where its binary is not
 * installed. All need the built app: `npx electron-vite build`.
 */
import { defineConfig } from '@playwright/test'
import type { StudioApp } from './e2e/fixtures/studio-test'

export default defineConfig<object, { studioApp: StudioApp; chromiumPath: string }>({
  testDir: './e2e',
  outputDir: 'test-results',
  // One studio (and its engine process) at a time: the machine has two cores.
  workers: 1,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  projects: [
    { name: 'serve-chromium', use: { studioApp: 'serve', chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } },
    { name: 'electron-stand-in', use: { studioApp: 'electron-stand-in', chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } },
    { name: 'electron', use: { studioApp: 'electron' } }
  ]
})
