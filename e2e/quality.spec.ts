/**
 * How good the generated faces are, shown while the model learns: the Train view measures sample
 * quality at checkpoints in the background and on request, each figure beside its floor, and
 * says so plainly where the images are not faces.
 */
import { mkdir } from 'node:fs/promises'
import * as path from 'node:path'
import sharp from 'sharp'
import { expect, test } from './fixtures/studio-test'

test('the sample-quality chart draws a point per measurement while the model trains, and on request', async ({ studio, workDir }) => {
  const { dataset, train } = studio

  await test.step('train on the demo faces with sample quality measured at checkpoints', async () => {
    await studio.project.create(workDir, 'Quality')
    await dataset.importDemo(400, 32)
    await train.open()
    await expect(train.quality.notApplicable).toContainText('train')
    // A new project gets the seam-free decoder, and the menu says what it does.
    await expect(train.decoder).toHaveValue('upsample-conv')
    await expect(train.decoder).toHaveAccessibleDescription(/no block seams/)
    // …and the calibrated Gaussian at the β it wants; below that the view says so, and sets it when asked.
    await expect(train.recon).toHaveValue('gaussian')
    await expect(train.recon).toHaveAccessibleDescription(/at β 16/)
    await expect(train.betaInput).toHaveValue('16')
    await expect(train.betaHint).toBeHidden()
    // …and the learning rate measured best for it.
    await expect(train.field('Learning rate')).toHaveValue('0.002')
    await train.setBeta(4)
    await expect(train.betaHint).toContainText('β is 4: too low for this loss')
    await train.betaHint.getByRole('button', { name: 'Use β 16' }).click()
    await expect(train.betaInput).toHaveValue('16')
    await expect(train.betaHint).toBeHidden()
    // β left at the Gaussian's own follows the loss to binary cross-entropy's.
    await train.recon.selectOption('bce')
    await expect(train.recon).toHaveAccessibleDescription(/steady at β = 1/)
    await expect(train.betaInput).toHaveValue('1')
    // Sharpening is offered, off by default, and says what it does and costs; this run takes it
    // (from step 300, after this short run ends: the discriminator rides along untrained).
    await expect(train.sharpen).not.toBeChecked()
    await expect(train.sharpen).toHaveAccessibleDescription(/From step 300 .* crisper eyes, mouths and glasses, a grainier skin/)
    await train.sharpen.check()
    // The recommended run for 400 images ends too soon; the view says so and offers a run that shows it.
    await expect(train.sharpenHint).toContainText('This run ends at step 400, before sharpening has had 500 steps to show.')
    await train.sharpenHint.getByRole('button', { name: 'Train to 1,300 steps' }).click()
    await expect(train.lengthChoice).toHaveValue('steps')
    await expect(train.lengthField('Steps')).toHaveValue('1300')
    await expect(train.sharpenHint).toBeHidden()
    await train.measureQualityWhileTraining(true)
    await train.trainToEnd({ epochs: 12, batchSize: 16, latent: 8, learningRate: 0.003, beta: 1 })
    await expect.poll(() => train.qualityPoints(), { timeout: 180_000 }).toBeGreaterThan(0)
    await expect(train.quality.latest).toContainText('Face Fréchet distance')
    await expect(train.quality.latest).toContainText('floor')
    await expect(train.quality.latest).toContainText('Sharpness')
    await expect(train.quality.latest).toContainText('Grid')
  })

  await test.step('measure now adds a point for the newest checkpoint', async () => {
    const before = await train.qualityPoints()
    const latestBefore = await train.quality.latest.textContent()
    await expect(train.quality.measureButton).toBeEnabled()
    await train.quality.measureButton.click()
    await expect(train.quality.measureButton).toHaveText('Measuring…')
    await expect(train.quality.measureButton).toHaveText('Measure now', { timeout: 180_000 })
    // A point at a step already measured replaces it; otherwise the chart gains one.
    await expect
      .poll(async () => (await train.qualityPoints()) >= before && (await train.quality.latest.textContent()) !== latestBefore)
      .toBe(true)
    await studio.screenshot('sample-quality')
  })

  await test.step('the figures are kept with the project', async () => {
    const points = await train.qualityPoints()
    await studio.page.reload()
    await train.open()
    await expect.poll(() => train.qualityPoints(), { timeout: 30_000 }).toBe(points)
    await expect(train.sharpen).toBeChecked()
  })
})

test('images that are not faces are not given a face-quality figure', async ({ studio, workDir }) => {
  const { dataset, train } = studio
  const folder = path.join(workDir, 'stripes')
  await mkdir(folder)
  for (let i = 0; i < 40; i++) {
    const pixels = Buffer.alloc(48 * 48 * 3)
    for (let p = 0; p < pixels.length; p++) pixels[p] = (Math.floor(p / 3 / (2 + (i % 7))) * 37 + i * 11) % 256
    await sharp(pixels, { raw: { width: 48, height: 48, channels: 3 } })
      .png()
      .toFile(path.join(folder, `stripes-${i}.png`))
  }
  await studio.project.create(workDir, 'Stripes')
  await dataset.importFolder(folder, { size: 32, gray: false, faces: false })
  await train.trainToEnd({ epochs: 1, batchSize: 8, latent: 4, learningRate: 0.003, beta: 1 })
  await expect(train.quality.notApplicable).toContainText('do not look like faces', { timeout: 120_000 })
  await expect(train.quality.measureButton).toBeDisabled()
  expect(await train.qualityPoints()).toBe(0)
})
