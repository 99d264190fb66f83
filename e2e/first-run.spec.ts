/**
 * A new user's first run (issue 20's target path): a folder of real colour photos — group photos,
 * expressions, several photos of eight people — imported with the default options finds the faces;
 * the Train view recommends a length and says how long it will take before anything starts; the
 * default run trains to its end and leaves face previews and a sample-quality figure.
 */
import { cp } from 'node:fs/promises'
import * as path from 'node:path'
import { faceSet } from '../test/support/datasets'
import { expect, test } from './fixtures/studio-test'

const photos = faceSet('photos_faceapi_examples')
test.skip(!photos, 'needs the photos_faceapi_examples folder (VAE_STUDIO_DATASETS or ../shared/datasets)')

test('the default run on real photos: its time said before it starts, face previews and a quality figure after', async ({
  studio,
  workDir
}, testInfo) => {
  test.skip(
    testInfo.project.name !== 'serve-chromium',
    'one walk of this long default run is enough: the engine and the view are the same in the desktop app'
  )
  test.setTimeout(1_200_000)
  const { dataset, train } = studio
  const folder = path.join(workDir, 'photos')
  await cp(photos!, folder, { recursive: true })

  await test.step('import the photos with the default options: every face found', async () => {
    await studio.project.create(workDir, 'First run')
    await dataset.importFolder(folder, { size: 64, gray: 'auto', faces: true })
    await expect(dataset.importResult).toContainText(/faces found/)
  })

  await test.step('the recommended run and its time, before starting', async () => {
    await train.open()
    await expect(train.lengthChoice).toHaveValue('recommended')
    await expect(train.expected).toHaveText(/^Next run: the recommended \d+ steps · (under a minute|about \d+ min)/, { timeout: 120_000 })
    await studio.screenshot('first-run-before-start')
  })

  await test.step('train to the end with the defaults: previews of faces, and a quality figure', async () => {
    await train.start()
    await expect(train.state).toHaveAttribute('data-state', 'finished', { timeout: 900_000 })
    await expect(train.samples).not.toHaveCount(0)
    // Measured at checkpoints by default; one more on request, for the newest checkpoint.
    await expect(train.quality.measureButton).toHaveText('Measure now', { timeout: 300_000 })
    await train.quality.measureButton.click()
    await expect.poll(() => train.qualityPoints(), { timeout: 300_000 }).toBeGreaterThan(0)
    await expect(train.quality.latest).toContainText('Face Fréchet distance')
    await studio.screenshot('first-run-trained')
  })
})
