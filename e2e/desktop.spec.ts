/**
 * The desktop app as a user meets it: first launch, the File menu, quitting and coming back,
 * a second launch, and an engine that crashes or cannot start. Runs in the electron-stand-in
 * project (the real main, preload and renderer under test/electron-stand-in) and in the electron
 * project where the Electron binary is installed; skipped against `vae-studio serve`.
 */
import { mkdir } from 'node:fs/promises'
import * as path from 'node:path'
import type { DesktopApp } from './fixtures/desktop-app'
import type { StudioPage } from './fixtures/studio-page'
import { expect, test } from './fixtures/studio-test'

/** File → New Project…: the native dialog picks the place, the page asks for the name. */
async function newProjectFromMenu(app: DesktopApp, studio: StudioPage, parent: string, name: string): Promise<void> {
  await app.answerFolder(parent)
  await app.clickMenu('File', 'New Project…')
  await studio.folderChooser.nameProject(name)
  await expect(studio.project.name).toHaveText(name)
}

test('first launch shows the built-in demo faces, served under the app’s own CSP', async ({ desktop }) => {
  const app = await desktop.launch()
  const studio = await desktop.studioOf(app)
  await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })
  await expect(studio.dataset.summary).toContainText('2,000 images', { timeout: 60_000 })
  await expect(studio.dataset.thumbnails.first().locator('canvas')).toBeVisible()
  await expect(studio.statusBar.backend).toContainText(/wasm|cpu|tensorflow/)
  await expect(studio.statusBar.transport).toHaveText('desktop')
  await studio.screenshot('first-launch')
  expect(app.pageErrors()).toEqual([])
})

test('every File menu item does what it says in the window', async ({ desktop, workDir }) => {
  const app = await desktop.launch()
  const studio = await desktop.studioOf(app)
  await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })
  const file = (await app.menu()).find((entry) => entry.label === 'File')
  expect(file?.submenu?.map((entry) => entry.label)).toEqual(['New Project…', 'Open Project…', 'Open Recent', 'Save', 'Export…', 'Quit'])

  await test.step('Save', async () => {
    await app.clickMenu('File', 'Save')
    await expect(studio.notices.info).toContainText('Project saved')
  })

  await test.step('Export…', async () => {
    await app.clickMenu('File', 'Export…')
    await expect(studio.exporter.tab).toHaveAttribute('aria-selected', 'true')
  })

  await test.step('New Project…', async () => {
    const parent = path.join(workDir, 'projects')
    await mkdir(parent)
    await newProjectFromMenu(app, studio, parent, 'Menu faces')
    await expect(studio.welcome).toBeHidden()
  })

  await test.step('Open Recent', async () => {
    const recentLabels = async () =>
      (await app.menu())
        .find((e) => e.label === 'File')
        ?.submenu?.find((e) => e.label === 'Open Recent')
        ?.submenu?.map((e) => e.label)
    await expect.poll(recentLabels).toEqual(['Menu faces.vaeproj', 'Demo faces.vaeproj'])
    await app.clickMenu('File', 'Open Recent', 'Demo faces.vaeproj')
    await expect(studio.project.name).toHaveText('Demo faces')
  })

  await test.step('Open Project…', async () => {
    await app.answerFolder(path.join(workDir, 'projects', 'Menu faces.vaeproj'))
    await app.clickMenu('File', 'Open Project…')
    await expect(studio.project.name).toHaveText('Menu faces')
  })
  await studio.screenshot('menu-commands-done')
  expect(app.pageErrors()).toEqual([])
})

test('quit, launch again: the last project is back and recent projects reopen', async ({ desktop, workDir }) => {
  const first = await desktop.launch()
  const studio = await desktop.studioOf(first)
  await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })
  await newProjectFromMenu(first, studio, workDir, 'Kept faces')
  await first.clickMenu('File', 'Quit')
  expect(await first.exited()).toBe(0)

  const again = await desktop.launch()
  const reopened = await desktop.studioOf(again)
  // The folders of opened projects count as chosen after a restart: nothing is refused.
  await expect(reopened.project.name).toHaveText('Kept faces', { timeout: 60_000 })
  await reopened.project.openRecent('Demo faces')
  await expect(reopened.project.name).toHaveText('Demo faces')
  await again.clickMenu('File', 'Open Recent', 'Kept faces.vaeproj')
  await expect(reopened.project.name).toHaveText('Kept faces')
  await expect(reopened.notices.error).toHaveCount(0)
})

test('a second launch with a project opens it in the first window', async ({ desktop, workDir }) => {
  const first = await desktop.launch()
  const studio = await desktop.studioOf(first)
  await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })
  await newProjectFromMenu(first, studio, workDir, 'Second')
  await first.clickMenu('File', 'Open Recent', 'Demo faces.vaeproj')
  await expect(studio.project.name).toHaveText('Demo faces')

  const second = await desktop.launch({ args: [path.join(workDir, 'Second.vaeproj')] })
  expect(await second.exited()).toBe(0)
  await expect(studio.project.name).toHaveText('Second')
})

test('an engine killed mid-training is restarted, and the window says so', async ({ desktop }) => {
  const app = await desktop.launch()
  const studio = await desktop.studioOf(app)
  await expect(studio.dataset.summary).toContainText('2,000 images', { timeout: 60_000 })
  await studio.train.configure({ epochs: 50, batchSize: 16, latent: 8 })
  await studio.train.start()
  await expect(studio.train.state).toHaveAttribute('data-state', 'running')
  await expect.poll(() => studio.train.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(1)

  await app.killEngine()
  const banner = studio.engineBanner.root
  await expect(banner).toBeVisible()
  await expect(banner).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
  await expect(studio.engineBanner.reason).toContainText(/engine process (exited with code|was killed)/)
  await expect(studio.engineBanner.status).toContainText('A fresh engine is running')
  expect(await app.engineStarts()).toBe(2)
  // The fresh engine has the project open again and the studio works on.
  await expect(studio.project.name).toHaveText('Demo faces')
  await expect(studio.train.state).not.toHaveAttribute('data-state', 'running')
  await studio.dataset.open()
  await expect(studio.dataset.thumbnails.first().locator('canvas')).toBeVisible()
  await studio.screenshot('engine-restarted')
})

test('on a backend that trains on one thread, the sharpen switch and the thread count are off and say why', async ({ desktop }) => {
  const app = await desktop.launch({ env: { VAE_STUDIO_BACKEND: 'cpu' } })
  const studio = await desktop.studioOf(app)
  await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })
  await expect(studio.statusBar.backend).toContainText('cpu')
  await studio.train.open()
  await expect(studio.train.sharpen).toBeDisabled()
  await expect(studio.train.sharpen).not.toBeChecked()
  await expect(studio.train.sharpen).toHaveAccessibleDescription(/Not on this backend: sharpening trains on worker threads/)
  await expect(studio.train.threads).toBeDisabled()
  await expect(studio.train.threads).toHaveAccessibleDescription(/^Not on this backend: only the wasm backend trains on worker threads/)
  await studio.train.sharpen.scrollIntoViewIfNeeded()
  await studio.screenshot('sharpen-unavailable')
})

test('an engine that cannot start is tried a few times, then the window shows why and offers a restart', async ({ desktop }) => {
  // A backend that cannot load here makes every engine process fail at start.
  const app = await desktop.launch({ env: { VAE_STUDIO_BACKEND: 'tensorflow' } })
  const studio = await desktop.studioOf(app)
  const banner = studio.engineBanner.root
  await expect(banner).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 })
  await expect(studio.engineBanner.reason).toContainText("the 'tensorflow' backend is not available here")
  expect(await app.engineStarts()).toBe(3)
  await studio.screenshot('engine-gave-up')
  // No more forks by itself.
  await studio.page.waitForTimeout(3_000)
  expect(await app.engineStarts()).toBe(3)

  await studio.engineBanner.restart()
  await expect.poll(() => app.engineStarts(), { timeout: 30_000 }).toBe(6)
  await expect(banner).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 })
})
