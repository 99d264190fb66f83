/**
 * How long a run lasts, chosen as a person thinks of it (issue 20.2): a small set gets a length
 * recommended for it with the time it will take said before starting, the time left and the
 * speed show while it trains (measured, also when the set is smaller than a batch: issue 20.4),
 * and a finished run offers to train more. Runs on 32 built-in demo faces.
 */
import { expect, test } from './fixtures/studio-test'

test('a run’s length and time are said before it starts, shown while it trains, and it can train more', async ({ studio, workDir }) => {
  const { dataset, train } = studio

  await test.step('32 faces: the recommended length and its expected time, before starting', async () => {
    await studio.project.create(workDir, 'Run length')
    await dataset.importDemo(32, 32)
    await train.open()
    await expect(train.lengthChoice).toHaveValue('recommended')
    await expect(train.lengthChoice.locator('option:checked')).toHaveText(/^Recommended: \d+ steps$/)
    // A few steps are timed first; then the time is said with where the estimate comes from.
    await expect(train.expected).toHaveText(
      /^Next run: the recommended \d+ steps · (under a minute|about \d+ min) \(from a few steps timed just now\)$/,
      {
        timeout: 60_000
      }
    )
    await studio.screenshot('run-length-before-start')
  })

  await test.step('a length in steps, then start: steps/s, images/s and the time left show as it trains', async () => {
    await train.setLength('Steps', 40)
    await expect(train.expected).toHaveText(/^Next run: 40 steps · /)
    await train.field('Batch size').fill('64') // more than the 29 training images: a step holds 29
    await train.start()
    await expect(train.state).toHaveAttribute('data-state', 'running')
    await expect(train.stepsPerSec).toHaveText(/^\d+(\.\d{1,2})?$/, { timeout: 60_000 })
    await expect(train.timeLeft).toHaveText(/^(\d+ s|\d+ min \d\d s|measuring…)$/)
    await expect(train.statePill).toHaveText(/step \d+ \/ 40/)
    await studio.screenshot('run-length-during-run')
    await expect(train.state).toHaveAttribute('data-state', 'finished', { timeout: 180_000 })
  })

  await test.step('the length reached: “Train more” trains on from step 40', async () => {
    await expect(train.trainMoreButton).toBeVisible({ timeout: 30_000 })
    await expect(train.expected).toHaveText('Trained 40 steps already.')
    await studio.screenshot('run-length-train-more')
    await train.trainMoreButton.click()
    await expect(train.state).toHaveAttribute('data-state', 'running')
    await expect(train.lengthField('Steps')).toHaveValue(/^\d+$/)
    expect(Number(await train.lengthField('Steps').inputValue())).toBeGreaterThan(40)
    await expect.poll(() => train.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(41)
    await train.stop()
    await expect(train.state).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 })
  })
})
