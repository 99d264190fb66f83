/**
 * What a person types and presses is checked and taken as they meant it: a number out of range is
 * refused next to its field, in plain words, before anything is sent; β moves by keyboard in
 * sensible steps and counts as one change once it settles. Runs on the built-in demo faces.
 */
import { expect, test } from './fixtures/studio-test'

test('a field refuses an out-of-range value in plain words, and its action waits', async ({ studio, workDir }) => {
  const { dataset, train, exporter } = studio

  await test.step('start a project on 32 demo faces', async () => {
    await studio.project.create(workDir, 'Checked fields')
    await dataset.importDemo(32, 32)
  })

  await test.step('type 0 epochs: the field says why, and training cannot start', async () => {
    await train.setLength('Epochs')
    const epochs = train.lengthField('Epochs')
    await epochs.fill('0')
    await expect(epochs).toHaveAttribute('aria-invalid', 'true')
    await expect(epochs).toHaveAccessibleDescription(/^Train to \(epochs\) is a whole number from 1 to 100,000/)
    await expect(train.startButton).toBeDisabled()
    await studio.screenshot('epochs-refused')
    await epochs.fill('2')
    await expect(epochs).not.toHaveAttribute('aria-invalid', 'true')
    await expect(train.startButton).toBeEnabled()
  })

  await test.step('type a temperature of 48 for generated faces: the engine’s own limit is said', async () => {
    await exporter.open()
    await exporter.samples.temperature.fill('48')
    await expect(exporter.samples.temperature).toHaveAccessibleDescription('Temperature goes from 0 to 10')
    await expect(exporter.samples.exportButton).toBeDisabled()
    await studio.screenshot('temperature-refused')
    await exporter.samples.temperature.fill('0.8')
    await expect(exporter.samples.temperature).not.toHaveAttribute('aria-invalid', 'true')
  })
})

test('β moves by keyboard in steps and counts as one change', async ({ studio, workDir }) => {
  const { dataset, train } = studio

  await test.step('start a long run on 200 demo faces', async () => {
    await studio.project.create(workDir, 'Keyboard β')
    await dataset.importDemo(200, 32)
    // Far more epochs than the test waits for: it stops the run itself.
    await train.configure({ epochs: 500, batchSize: 8, latent: 4 })
    await train.start()
    await expect(train.state).toHaveAttribute('data-state', 'running')
    await expect.poll(() => train.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(2)
  })

  // A new project's calibrated Gaussian starts at β 16, on a slider whose steps are ten times cross-entropy's.
  await test.step('five presses of the right arrow move β from 16 to 18.5: one change', async () => {
    await train.pressOnBeta('ArrowRight', 5)
    expect(await train.betaShown()).toBe(18.5)
    await expect(train.stats.beta).toHaveText('18.5', { timeout: 60_000 })
    await expect(train.lossChart).toHaveAttribute('data-marks', '1')
    await expect(train.klChart).toHaveAttribute('data-marks', '1')
  })

  await test.step('Shift moves ten times as far, Home goes to 0: each a change of its own', async () => {
    await train.pressOnBeta('Shift+ArrowLeft')
    expect(await train.betaShown()).toBe(15)
    await expect(train.stats.beta).toHaveText('15', { timeout: 60_000 })
    await train.pressOnBeta('Home')
    await expect(train.stats.beta).toHaveText('0', { timeout: 60_000 })
    await expect(train.lossChart).toHaveAttribute('data-marks', '3')
    await studio.screenshot('beta-by-keyboard')
  })

  await test.step('stop the run', async () => {
    await train.stop()
    await expect(train.state).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 })
  })
})
