/**
 * Serve mode: one studio open in two tabs. What one tab begins, the other sees, waits for and can
 * stop — as the desktop window does for the demo faces the studio makes at first start.
 */
import { expect, test } from './fixtures/studio-test'

test('an import begun in another tab shows its progress here, holds training back, and can be cancelled here', async ({
  studio,
  studioServer,
  workDir
}) => {
  test.skip(!studioServer, 'the desktop app has one window')
  await studio.project.create(workDir, 'Shared')
  await studio.dataset.importDemo(16, 32)
  const other = await studio.anotherTab(studioServer!.url)
  await expect(other.project.name).toHaveText('Shared')

  // Long enough to watch from the other tab (tens of seconds here).
  await studio.dataset.startDemo(50_000, 32)
  await expect(studio.dataset.importProgress).toBeVisible()
  await other.dataset.open()
  await expect(other.dataset.importProgress).toBeVisible()
  await other.train.open()
  await expect(other.train.waitsForImport).toHaveText(
    /^Images are being added to this project \([\d,]+ of 50,000\): training can start when they are in\.$/
  )
  await expect(other.train.startButton).toBeDisabled()
  await expect(other.train.quality.notApplicable).toHaveText(/^Not measured yet: images are being added to this project/)
  await other.screenshot('train-waits-for-another-tabs-import')

  await other.dataset.cancelImport()
  await expect(studio.notices.info).toContainText('Import cancelled')
  await expect(studio.dataset.importProgress).toBeHidden()
  await expect(other.dataset.summary).toContainText('16 images')
  await other.train.open()
  await expect(other.train.waitsForImport).toBeHidden()
  await expect(other.train.startButton).toBeEnabled()
  await expect(other.train.quality.notApplicable).toHaveText(/^Not measured: the model has not been trained yet/)
})
