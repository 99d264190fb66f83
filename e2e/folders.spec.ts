/**
 * Where the studio may read and write, as a new user meets it: a folder typed into the page's
 * chooser, one outside the folders it may open (and how to allow it), exports into a visible
 * folder or one of the user's choosing, and a server restarted under an open page.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeDemoFolder } from './fixtures/demo-folder'
import type { StudioPage } from './fixtures/studio-page'
import { expect, root, test } from './fixtures/studio-test'

test('a folder typed into the chooser is imported; one outside the folders it may open says how to allow it', async ({
  studio,
  workDir,
  homeDir
}) => {
  test.skip(studio.folderChooser.native, 'the desktop app chooses folders in its native dialog, where every folder can be reached')
  const chooser = studio.folderChooser
  const faces = path.join(workDir, 'typed faces')
  await writeDemoFolder(root, faces, 24)
  const outside = await mkdtemp(path.join(tmpdir(), 'vae-outside-'))
  try {
    await test.step('the chooser names the folders it can open and how to add one', async () => {
      await studio.dataset.open()
      await studio.page.getByRole('button', { name: 'Choose folder…' }).click()
      await expect(chooser.dialog).toBeVisible()
      // The first chooser opens at Home, not in the studio's own projects folder where the demo project is.
      await expect(chooser.path).toHaveValue(homeDir)
      await expect(chooser.place('Home')).toContainText(homeDir)
      await expect(chooser.place('Allowed with --allow')).toContainText(workDir)
      await expect(chooser.howToAdd).toContainText('--allow <folder>')
      await chooser.place('Home').click()
      await expect(chooser.path).toHaveValue(homeDir)
      // This test's home lies inside the allowed work folder: Up leads there, and there it stops,
      // disabled for mouse, keyboard and screen reader alike.
      await chooser.upButton.click()
      await expect(chooser.path).toHaveValue(workDir)
      await expect(chooser.upButton).toBeDisabled()
    })

    await test.step('a typed folder outside them is refused with the command that allows it', async () => {
      await chooser.tryPath(outside)
      await expect(chooser.error).toContainText(`${outside} is outside the folders this studio may open`)
      await expect(chooser.error).toContainText(`${homeDir} (home)`)
      await expect(chooser.error).toContainText(`start it again with: npx vae-studio serve --port 0 --allow ${workDir} --allow ${outside}`)
      await expect(chooser.chooseButton).toBeDisabled()
      await studio.screenshot('refused-folder', chooser.dialog)
      await studio.page.getByTestId('chooser-cancel').click()
    })

    await test.step('a typed folder inside them is imported', async () => {
      await studio.dataset.importFolder(faces, { size: 32, gray: false, faces: false })
      await expect(studio.dataset.importResult).toContainText('Imported 24 images')
    })

    await test.step('the next chooser opens in the folder chosen last', async () => {
      await studio.page.getByRole('button', { name: 'Choose folder…' }).click()
      await expect(chooser.path).toHaveValue(faces)
      await studio.page.getByTestId('chooser-cancel').click()
      await expect(chooser.dialog).toBeHidden()
    })
  } finally {
    await rm(outside, { recursive: true, force: true })
  }
})

/** A small trained model on the start-up project's demo faces, so exports have something to draw. */
async function trainSmallModel(studio: StudioPage): Promise<void> {
  await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })
  await studio.dataset.importDemo(48, 32)
  await studio.train.measureQualityWhileTraining(false)
  await studio.train.trainToEnd({ epochs: 1, batchSize: 16, latent: 8, learningRate: 0.001, beta: 1 })
}

const exportFolder = (homeDir: string) => path.join(homeDir, 'Pictures', 'VAE Studio', 'Demo faces')

test('generated faces go to a visible folder unless the user chooses another', async ({ studio, workDir, homeDir }) => {
  test.skip(studio.folderChooser.native, 'the desktop app asks in its native dialog: the next test')
  const chooser = studio.folderChooser
  const exports = exportFolder(homeDir)
  await trainSmallModel(studio)

  await test.step('the chooser opens in the visible export folder and shows the full path before confirming', async () => {
    await studio.exporter.askForSamples(6)
    await expect(chooser.dialog).toBeVisible()
    await expect(chooser.path).toHaveValue(exports)
    await expect(chooser.target).toHaveText(path.join(exports, 'Demo faces-generated'))
    await studio.screenshot('export-default-folder', chooser.dialog)
    await chooser.choose()
    await expect(studio.exporter.samplesResult).toHaveText(path.join(exports, 'Demo faces-generated'), { timeout: 120_000 })
  })

  await test.step('another export there gets a new folder name; the user picks a folder of their own instead', async () => {
    await studio.exporter.askForSamples(6)
    await expect(chooser.target).toHaveText(path.join(exports, 'Demo faces-generated 2'))
    await chooser.goTo(workDir)
    await chooser.exportName.fill('my faces')
    await chooser.choose()
    await expect(studio.exporter.samplesResult).toHaveText(path.join(workDir, 'my faces'), { timeout: 120_000 })
    expect((await readdir(path.join(workDir, 'my faces'))).filter((f) => f.endsWith('.png'))).toHaveLength(6)
    expect(existsSync(path.join(exports, 'Demo faces-generated 2'))).toBe(false)
  })
})

test('the desktop app’s folder dialog for exports opens in the visible export folder', async ({ desktop, workDir, homeDir }) => {
  const app = await desktop.launch()
  const studio = await desktop.studioOf(app)
  await trainSmallModel(studio)
  const mine = path.join(workDir, 'my faces')
  await app.answerFolder(mine)
  await studio.exporter.askForSamples(6)
  await expect(studio.exporter.samplesResult).toHaveText(mine, { timeout: 120_000 })
  expect((await readdir(mine)).filter((f) => f.endsWith('.png'))).toHaveLength(6)
  expect(await app.dialogDefaults()).toEqual([exportFolder(homeDir)])
  expect(existsSync(exportFolder(homeDir))).toBe(true)
})

test('a restarted server: the page says so, and opens the new address pasted into it', async ({ studio, studioServer }) => {
  test.skip(!studioServer, 'the desktop app has no server to restart')
  const banner = studio.connectionBanner
  await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })

  await test.step('while the server is down, the page says it is waiting for it', async () => {
    await studioServer!.stop()
    await expect(banner.root).toHaveAttribute('data-state', 'reconnecting')
    await expect(banner.root).toContainText('reconnecting')
    await expect(banner.root).toContainText('npm run serve')
  })

  await test.step('once it is back with a new token, the page says it was restarted and where the new address is', async () => {
    const url = await studioServer!.start()
    await expect(banner.root).toHaveAttribute('data-state', 'refused', { timeout: 30_000 })
    await expect(banner.root).toContainText('The studio server was restarted')
    await expect(banner.root).toContainText('printed in the terminal')
    await studio.screenshot('server-restarted')
    await banner.openAddress(`VAE Studio is running: open ${url}`)
    await expect(studio.page).toHaveURL(url)
    await expect(studio.project.name).toHaveText('Demo faces', { timeout: 60_000 })
    await expect(banner.root).toBeHidden()
  })
})
