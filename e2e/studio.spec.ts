/**
 * A new user's first session: create a project, import a folder of faces, train and watch it
 * learn, steer β, explore the latent plane, export a PNG. Every step leaves a screenshot.
 */
import { cp } from 'node:fs/promises'
import * as path from 'node:path'
import sharp from 'sharp'
import { faceSet } from '../test/support/datasets'
import { expect, test } from './fixtures/studio-test'
import { meanChange, showsImage } from './pages/canvas'

const orlFaces = faceSet('orl_faces')
test.skip(!orlFaces, 'needs the ORL face set (VAE_STUDIO_DATASETS or ../shared/datasets)')

test('import faces, train, steer β, explore the latent plane and export', async ({ studio, workDir }) => {
  const { page, dataset, train, latent } = studio
  const faces = path.join(workDir, 'orl_faces')
  await cp(orlFaces!, faces, { recursive: true })

  await test.step('open the studio', async () => {
    await expect(studio.statusBar.backend).toContainText(/wasm|cpu|tensorflow/)
    await studio.screenshot('open')
  })

  await test.step('create a project in a new folder', async () => {
    await studio.project.create(workDir, 'E2E faces')
    await studio.screenshot('project-created')
  })

  await test.step('import 400 faces at 32 px grayscale', async () => {
    // ORL's photos are already aligned crops: imported whole.
    await dataset.importFolder(faces, { size: 32, gray: true, faces: false })
    await expect(dataset.importResult).toContainText('Imported 400 images')
    await expect(dataset.summary).toContainText('400 images · 32×32 grayscale')
    await expect(dataset.thumbnails.first()).toBeVisible()
    // The dataset folder holds a README next to the faces: listed with its reason, not imported.
    await expect(dataset.skippedFiles).toContainText('README.md')
    await studio.screenshot('imported')
  })

  await test.step('train and watch the charts and previews', async () => {
    // Far more epochs than the test waits for: it stops the run itself, after two.
    await train.configure({ epochs: 30, batchSize: 16, latent: 8 })
    await train.start()
    await expect(train.state).toHaveAttribute('data-state', 'running')
    await expect.poll(() => train.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(2)
    await expect(train.previewsLabel).toHaveText('epoch 1', { timeout: 120_000 })
    await expect(train.reconstructions).toHaveCount(16)
    await expect(train.samples).toHaveCount(16)
    await expect(train.stats.backend).not.toHaveText('—')
    await studio.screenshot('training')
  })

  await test.step('move β and see the engine use it', async () => {
    const pointsBefore = await train.chartPoints()
    await train.setBeta(0.5)
    await expect(train.stats.beta).toHaveText('0.5', { timeout: 60_000 })
    await expect(train.lossChart).toHaveAttribute('data-marks', '1')
    await expect(train.klChart).toHaveAttribute('data-marks', '1')
    await expect.poll(() => train.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(pointsBefore)
    await expect(train.previewsLabel).toHaveText('epoch 2', { timeout: 120_000 })
    await studio.screenshot('beta-changed')
  })

  await test.step('stop training', async () => {
    await train.stop()
    await expect(train.state).toHaveAttribute('data-state', /stopped|finished/, { timeout: 60_000 })
    await expect(train.startButton).toContainText('Continue training')
  })

  await test.step('drag on the latent plane and see the decoded image change', async () => {
    await latent.open()
    await expect(latent.plane).toBeVisible({ timeout: 60_000 })
    await expect(latent.position).toBeVisible()
    await expect.poll(async () => showsImage(await latent.decodedPixels())).toBe(true)
    const before = await latent.decodedPixels()
    const positionBefore = await latent.position.textContent()
    await latent.dragOnPlane([0.1, 0.1], [0.9, 0.85])
    await expect(latent.position).not.toHaveText(positionBefore ?? '')
    // Mean change per colour byte (alpha left out): the far corner decodes to a different face.
    await expect.poll(async () => meanChange(await latent.decodedPixels(), before)).toBeGreaterThan(0.5)
    await expect(latent.decodeRate).not.toHaveText('0 frames/s')
    await latent.keep()
    await expect(latent.trayItems).toHaveCount(1)
    // The plane works from the keyboard too: arrows move the decoded point, Enter keeps the image.
    const positionAfterDrag = await latent.position.textContent()
    await latent.plane.focus()
    await page.keyboard.press('Shift+ArrowLeft')
    await expect(latent.position).not.toHaveText(positionAfterDrag ?? '')
    await page.keyboard.press('Enter')
    await expect(latent.trayItems).toHaveCount(2)
    await studio.screenshot('latent')
  })

  await test.step('export the decoded image as a PNG', async () => {
    const file = await latent.exportDecoded('decoded.png')
    const meta = await sharp(file).metadata()
    expect(meta).toMatchObject({ format: 'png', width: 32, height: 32 })
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true })
    expect(data.length).toBe(info.width * info.height * info.channels)
    const tray = await sharp(await latent.exportTray('tray.png')).metadata()
    expect(tray.format).toBe('png')
    expect(tray.width).toBeGreaterThanOrEqual(64) // two 32 px images side by side
    await studio.screenshot('exported')
  })

  await test.step('reopen the project and find its history', async () => {
    await page.reload()
    await train.open()
    await expect.poll(() => train.chartPoints(), { timeout: 30_000 }).toBeGreaterThan(2)
    await expect(train.previewsLabel).toHaveText('from the saved checkpoint', { timeout: 60_000 })
    await studio.screenshot('reloaded')
  })
})
