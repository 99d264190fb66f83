/**
 * The studio stays live while it learns: training runs on worker threads, so dragging on the
 * latent canvas decodes frame after frame meanwhile, from weights that keep changing.
 */
import { expect, test } from './fixtures/studio-test'
import { meanChange, showsImage } from './pages/canvas'

test('drag on the latent canvas while the model trains, and see the decoded frames change', async ({ studio, workDir }) => {
  const { dataset, train, latent } = studio

  await test.step('start a long run on the demo faces', async () => {
    await studio.project.create(workDir, 'Live')
    await dataset.importDemo(400, 32)
    // A first short run, so the latent plane has a model to map with.
    await train.trainToEnd({ epochs: 1, batchSize: 16, latent: 8, learningRate: 0.003, beta: 1 })
    await train.setEpochs(200)
    await train.start()
    await expect(train.state).toHaveAttribute('data-state', 'running')
    await expect.poll(() => train.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(2)
  })

  await test.step('drag on the plane while it trains', async () => {
    await latent.open()
    await expect(latent.plane).toBeVisible({ timeout: 60_000 })
    await expect.poll(async () => showsImage(await latent.decodedPixels())).toBe(true)
    const before = await latent.decodedPixels()
    await latent.dragOnPlane([0.1, 0.1], [0.9, 0.85], 40)
    await expect.poll(async () => meanChange(await latent.decodedPixels(), before)).toBeGreaterThan(0.5)
    await expect(latent.decodeRate).not.toHaveText('0 frames/s')
    // Still training all along (the state shown beside the view tabs): neither waited for the other.
    await expect(train.statePill).toHaveAttribute('data-state', 'running')
    test.info().annotations.push({ type: 'decode rate while training', description: (await latent.decodeRate.textContent()) ?? '' })
    await studio.screenshot('dragging-while-training')
  })

  await test.step('the same point decodes differently as the weights move on', async () => {
    await latent.plane.focus()
    const first = await latent.decodedPixels()
    // Nudge back and forth: the code ends where it was, the weights did not.
    await expect
      .poll(
        async () => {
          await studio.page.keyboard.press('ArrowLeft')
          await studio.page.keyboard.press('ArrowRight')
          return meanChange(await latent.decodedPixels(), first)
        },
        { timeout: 60_000 }
      )
      .toBeGreaterThan(0.2)
    await train.stop()
  })
})
