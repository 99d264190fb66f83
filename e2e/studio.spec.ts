/**
 * A new user's first session: create a project, import a folder of faces, train and watch it
 * learn, steer β, explore the latent plane, export a PNG. Every step leaves a screenshot.
 */
import { cp } from 'node:fs/promises'
import * as path from 'node:path'
import sharp from 'sharp'
import { expect, root, test } from './fixtures/studio-test'

const orlFaces = path.resolve(root, '..', 'shared', 'datasets', 'orl_faces')

test('import faces, train, steer β, explore the latent plane and export', async ({ studio, workDir }) => {
  const { page } = studio
  const faces = path.join(workDir, 'orl_faces')
  await cp(orlFaces, faces, { recursive: true })

  await test.step('open the studio', async () => {
    await expect(studio.byId('engine-backend')).toContainText(/wasm|cpu|tensorflow/)
    await studio.screenshot('open')
  })

  await test.step('create a project in a new folder', async () => {
    await studio.createProject(workDir, 'E2E faces')
    await studio.screenshot('project-created')
  })

  await test.step('import 400 faces at 32 px grayscale', async () => {
    await studio.importFolder(faces, 32, true)
    await expect(studio.byId('import-result')).toContainText('Imported 400 images')
    await expect(studio.byId('dataset-summary')).toContainText('400 images · 32×32 grayscale')
    await expect(studio.byId('thumbnail').first()).toBeVisible()
    // The dataset folder holds a README next to the faces: listed with its reason, not imported.
    await expect(studio.byId('skipped-file')).toContainText('README.md')
    await studio.screenshot('imported')
  })

  await test.step('train and watch the charts and previews', async () => {
    // Far more epochs than the test waits for: it stops the run itself, after two.
    await studio.configureRun({ epochs: 30, batchSize: 16, latent: 8 })
    await studio.byId('train-start').click()
    await expect(studio.byId('train-state')).toHaveAttribute('data-state', 'running')
    await expect.poll(() => studio.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(2)
    await expect(studio.byId('previews-label')).toHaveText('epoch 1', { timeout: 120_000 })
    await expect(studio.byId('recon-grid').locator('canvas')).toHaveCount(16)
    await expect(studio.byId('sample-grid').locator('canvas')).toHaveCount(16)
    await expect(studio.byId('stat-backend')).not.toHaveText('—')
    await studio.screenshot('training')
  })

  await test.step('move β and see the engine use it', async () => {
    const pointsBefore = await studio.chartPoints()
    await studio.setBeta(0.5)
    await expect(studio.byId('stat-beta')).toHaveText('0.5', { timeout: 60_000 })
    await expect(studio.byId('chart-loss')).toHaveAttribute('data-marks', '1')
    await expect(studio.byId('chart-kl')).toHaveAttribute('data-marks', '1')
    await expect.poll(() => studio.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(pointsBefore)
    await expect(studio.byId('previews-label')).toHaveText('epoch 2', { timeout: 120_000 })
    await studio.screenshot('beta-changed')
  })

  await test.step('stop training', async () => {
    await studio.byId('train-stop').click()
    await expect(studio.byId('train-state')).toHaveAttribute('data-state', /stopped|finished/, { timeout: 60_000 })
    await expect(studio.byId('train-start')).toContainText('Continue training')
  })

  await test.step('drag on the latent plane and see the decoded image change', async () => {
    await studio.byId('tab-latent').click()
    await expect(studio.byId('latent-plane')).toBeVisible({ timeout: 60_000 })
    await expect(studio.byId('latent-position')).toBeVisible()
    await expect.poll(async () => (await studio.canvasPixels('latent-decoded')).some((v, i) => i % 4 !== 3 && v !== 0)).toBe(true)
    const before = await studio.canvasPixels('latent-decoded')
    const positionBefore = await studio.byId('latent-position').textContent()
    await studio.dragOnPlane([0.1, 0.1], [0.9, 0.85])
    await expect(studio.byId('latent-position')).not.toHaveText(positionBefore ?? '')
    // Mean change per colour byte (alpha left out): the far corner decodes to a different face.
    await expect
      .poll(async () => {
        const after = await studio.canvasPixels('latent-decoded')
        let sum = 0
        for (let i = 0; i < after.length; i++) if (i % 4 !== 3) sum += Math.abs(after[i] - before[i])
        return sum / ((after.length / 4) * 3)
      })
      .toBeGreaterThan(0.5)
    await expect(studio.byId('decode-fps')).not.toHaveText('0 frames/s')
    await studio.byId('latent-keep').click()
    await expect(studio.byId('tray-item')).toHaveCount(1)
    // The plane works from the keyboard too: arrows move the decoded point, Enter keeps the image.
    const positionAfterDrag = await studio.byId('latent-position').textContent()
    await studio.byId('latent-plane').focus()
    await page.keyboard.press('Shift+ArrowLeft')
    await expect(studio.byId('latent-position')).not.toHaveText(positionAfterDrag ?? '')
    await page.keyboard.press('Enter')
    await expect(studio.byId('tray-item')).toHaveCount(2)
    await studio.screenshot('latent')
  })

  await test.step('export the decoded image as a PNG', async () => {
    const file = await studio.exportPng(studio.byId('latent-export-current'), 'decoded.png')
    const meta = await sharp(file).metadata()
    expect(meta).toMatchObject({ format: 'png', width: 32, height: 32 })
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true })
    expect(data.length).toBe(info.width * info.height * info.channels)
    const tray = await sharp(await studio.exportPng(studio.byId('tray-export'), 'tray.png')).metadata()
    expect(tray.format).toBe('png')
    expect(tray.width).toBeGreaterThanOrEqual(64) // two 32 px images side by side
    await studio.screenshot('exported')
  })

  await test.step('reopen the project and find its history', async () => {
    await page.reload()
    await studio.byId('tab-train').click()
    await expect.poll(() => studio.chartPoints(), { timeout: 30_000 }).toBeGreaterThan(2)
    await expect(studio.byId('previews-label')).toHaveText('from the saved checkpoint', { timeout: 60_000 })
    await studio.screenshot('reloaded')
  })
})
