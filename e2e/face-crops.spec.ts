/**
 * A folder of face crops (a downloaded face set, an earlier export) imported with the defaults a
 * new user leaves as they are — face finding on, colour Automatic: every image is kept, and the
 * summary says once why the crops were imported whole and why they are grey.
 */
import { copyFile, mkdir, readdir } from 'node:fs/promises'
import * as path from 'node:path'
import { faceSet } from '../test/support/datasets'
import { expect, test } from './fixtures/studio-test'

const olivetti = faceSet('olivetti_faces_64')
test.skip(!olivetti, 'needs the Olivetti face set (VAE_STUDIO_DATASETS or ../shared/datasets)')

/** Every tenth of Olivetti's 400 crops (64×64, grey): 40 images. */
const count = 40

test('a folder of face crops keeps every image, and the summary says why', async ({ studio, workDir }) => {
  const { dataset } = studio
  const folder = path.join(workDir, 'olivetti crops')
  await mkdir(folder)
  const files = (await readdir(olivetti!)).filter((f) => f.endsWith('.png')).sort()
  for (let i = 0; i < count; i++) await copyFile(path.join(olivetti!, files[i * 10]), path.join(folder, files[i * 10]))

  await test.step('the import options start at face finding on and colour Automatic', async () => {
    await studio.project.create(workDir, 'Crops')
    await dataset.open()
    const options = studio.page.getByRole('group', { name: 'Import options' })
    await expect(options.getByRole('checkbox', { name: /Find every face/ })).toBeChecked()
    await expect(options.getByRole('button', { name: 'Automatic', exact: true })).toHaveAttribute('aria-pressed', 'true')
  })

  await test.step('import the crops with those defaults: kept whole, grey, each said once', async () => {
    await dataset.importFolder(folder, { size: 32, gray: 'auto', faces: true })
    await expect(dataset.importResult).toContainText(`Imported ${count} images.`)
    await expect(dataset.importNotes).toHaveText([
      'These look like face crops already (all 64×64, faces fill the frame): imported as they are.',
      'Every image is grey: imported in grayscale (1 channel); choose Colour to keep 3 channels.'
    ])
    await expect(dataset.summary).toContainText(`${count} images · 32×32 grayscale`)
    await expect(dataset.thumbnails.first()).toBeVisible()
    await expect(studio.page.getByRole('progressbar', { name: 'Import progress' })).toBeHidden()
    await studio.screenshot('crops-imported')
  })
})
