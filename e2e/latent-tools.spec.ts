/**
 * The latent tools on a freshly trained model of the demo faces: an interpolation exported as a
 * looping GIF, an attribute vector made from faces with and without glasses and moved with its
 * slider, a pass through every other tool, and the exports that round-trip (a PNG carrying its
 * code, the TensorFlow.js model). A few epochs of 200 faces at 32 px keep the training short.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import * as path from 'node:path'
import sharp from 'sharp'
import { writeDemoFolder } from './fixtures/demo-folder'
import { expect, root, test } from './fixtures/studio-test'
import { meanChange, showsImage } from './pages/canvas'

const faces = 200

test('latent tools: interpolation GIF, attribute vector, the other tools and round-trip exports', async ({ studio, workDir }) => {
  const { page, dataset, train, latent, tools, exporter } = studio
  const demo = await writeDemoFolder(root, path.join(workDir, 'demo-faces'), faces)
  const withGlasses = demo.labels.flatMap((f, i) => (f.glasses ? [i] : [])).slice(0, 5)
  const withoutGlasses = demo.labels.flatMap((f, i) => (f.glasses ? [] : [i])).slice(0, 6)
  // Interpolate between the darkest and the lightest face among the first rows of the grid:
  // even a briefly trained model tells those apart.
  const firstRows = demo.labels.slice(0, 30).map((f, i) => ({ i, skin: f.skinTone }))
  const darkest = firstRows.reduce((a, b) => (b.skin > a.skin ? b : a)).i
  const lightest = firstRows.reduce((a, b) => (b.skin < a.skin ? b : a)).i

  await test.step('train a small model on a folder of demo faces', async () => {
    await studio.project.create(workDir, 'Tools')
    await dataset.importFolder(demo.folder, { size: 32, gray: false, faces: false })
    await expect(dataset.importResult).toContainText(`Imported ${faces} images`)
    await train.trainToEnd({ epochs: 5, batchSize: 16, latent: 8, learningRate: 0.003, beta: 0.1 })
  })

  await test.step('interpolate between two dataset images and export a looping GIF', async () => {
    const { interpolate, picker } = tools
    await tools.open('interpolate')
    await interpolate.setFrames(6)
    // Click the thumbnails themselves: start, then the picker moves on to the end by itself.
    await expect(tools.slot('interp-start').fillButton).toHaveAttribute('aria-pressed', 'true')
    await expect(picker.thumbnail(darkest).locator('canvas')).toBeVisible()
    await picker.thumbnail(darkest).click()
    await expect(tools.slot('interp-end').fillButton).toHaveAttribute('aria-pressed', 'true')
    await picker.thumbnail(lightest).click()
    await expect(interpolate.frames).toHaveCount(6)
    await expect(interpolate.animation).toHaveText('10 frames, looping')
    await studio.screenshot('interpolation')

    const gif = await interpolate.exportGif('interpolation.gif')
    const meta = await sharp(gif, { animated: true }).metadata()
    expect(meta).toMatchObject({ format: 'gif', pages: 10, width: 32, pageHeight: 32, loop: 0 })
    // The frames are the decoded path, not ten copies of one image.
    const { data, info } = await sharp(gif, { animated: true }).raw().toBuffer({ resolveWithObject: true })
    const frameBytes = info.width * 32 * info.channels
    const first = data.subarray(0, frameBytes)
    const middle = data.subarray(5 * frameBytes, 6 * frameBytes)
    let diff = 0
    for (let i = 0; i < frameBytes; i++) diff += Math.abs(first[i] - middle[i])
    expect(diff / frameBytes).toBeGreaterThan(0.5)

    const webp = await interpolate.exportWebp('interpolation.webp')
    expect(await sharp(webp, { animated: true }).metadata()).toMatchObject({ format: 'webp', pages: 10 })
  })

  await test.step('make a "glasses" vector from two groups and move its slider', async () => {
    const { attributes } = tools
    await tools.open('attributes')
    await tools.pickImages('attr-with', withGlasses)
    await tools.pickImages('attr-without', withoutGlasses)
    await attributes.create('glasses')
    await expect(attributes.list).toContainText('glasses')
    await expect(attributes.list).toContainText(`${withGlasses.length} with · ${withoutGlasses.length} without`)

    await tools.pickImages('attr-target', [withoutGlasses[0]])
    await expect(attributes.live).toBeVisible()
    await expect(attributes.stripImages).toHaveCount(7)
    await expect.poll(async () => showsImage(await attributes.livePixels())).toBe(true)
    const before = await attributes.livePixels()
    // The slider works from the keyboard: End moves it to +3.
    await attributes.slider.focus()
    await page.keyboard.press('End')
    await expect(attributes.amount).toHaveText('+3.0')
    await expect.poll(async () => meanChange(await attributes.livePixels(), before)).toBeGreaterThan(1)
    await attributes.strip.scrollIntoViewIfNeeded()
    await studio.screenshot('attribute-plus-3')
    await page.keyboard.press('Home')
    await expect(attributes.amount).toHaveText('−3.0')
    await expect.poll(async () => meanChange(await attributes.livePixels(), before)).toBeGreaterThan(1)
  })

  await test.step('arithmetic with a saved recipe', async () => {
    const { arithmetic } = tools
    await tools.open('arithmetic')
    await tools.pickImages('arith-a', [withGlasses[1]])
    await tools.pickImages('arith-b', withGlasses.slice(2))
    // C from the keyboard: the grid is a listbox (arrows move, Enter picks).
    await tools.slot('arith-c').startFilling()
    await tools.picker.grid.focus()
    for (const key of ['Home', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Enter']) await page.keyboard.press(key)
    await expect(tools.slot('arith-c').root).toContainText('#4')
    await expect(arithmetic.result).toBeVisible()
    await arithmetic.saveRecipe('glasses off')
    await expect(arithmetic.recipes).toHaveCount(1)
    await expect(arithmetic.recipes).toContainText('glasses off')
    await expect(arithmetic.recipes).toContainText(`#${withGlasses[1] + 1} − 3 images + #4`)
    await studio.screenshot('arithmetic')
  })

  await test.step('denoise, compression and the nearest training image', async () => {
    const { denoise, picker } = tools
    await tools.open('denoise')
    await tools.pickImages('denoise-image', [3])
    await expect(denoise.psnr).toContainText('dB')
    const gaussian = await denoise.psnr.textContent()
    await denoise.chooseNoise('mask')
    await expect(denoise.psnr).not.toHaveText(gaussian ?? '')
    await studio.screenshot('denoise')
    // The tools follow the system's dark theme like the rest of the studio.
    await page.emulateMedia({ colorScheme: 'dark' })
    await studio.screenshot('denoise-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    await tools.open('compression')
    await tools.pickImages('compression-image', [3])
    await expect(tools.compression.table).toContainText('float16')
    await studio.screenshot('compression')

    await tools.open('nearest')
    await expect(picker.datasetSource).toBeDisabled()
    await picker.showSamples()
    await picker.drawSamples()
    await picker.pickSample(0)
    await expect(tools.nearest.distance).toHaveText(/^\d/)
    await studio.screenshot('nearest')
  })

  await test.step('the fixed-seed timeline over the saved checkpoints', async () => {
    // The tool list is a vertical tab list: Down moves from "Nearest image" to "Timeline".
    await tools.toolTab('nearest').focus()
    await page.keyboard.press('ArrowDown')
    await expect(tools.toolTab('timeline')).toHaveAttribute('aria-selected', 'true')
    await expect(tools.toolTab('timeline')).toBeFocused()
    await tools.timeline.run()
    await expect(tools.timeline.frames.first()).toBeVisible()
    await expect(tools.timeline.frames.first().locator('canvas')).toHaveCount(8)
    await studio.screenshot('timeline')
  })

  await test.step('export a PNG with its code and import it back onto the latent canvas', async () => {
    await latent.open()
    await expect(latent.position).toBeVisible({ timeout: 60_000 })
    await exporter.open()
    const file = await exporter.exportCurrent('with-code.png')
    expect((await sharp(file).metadata()).format).toBe('png')
    await exporter.importCodePng('with-code.png', await readFile(file))
    await expect(latent.tab).toHaveAttribute('aria-selected', 'true')
    await expect(latent.trayItems).toHaveCount(1)
    await expect(latent.trayItems.getByRole('button').first()).toHaveAttribute('title', /restored · step \d+/)
    await latent.tray.scrollIntoViewIfNeeded()
    await studio.screenshot('restored')
    // The memorisation check of the canvas's image is one click away.
    await latent.findNearest()
    await expect(tools.toolTab('nearest')).toHaveAttribute('aria-selected', 'true')
    await expect(tools.nearest.distance).toHaveText(/^\d/)
  })

  await test.step('export the model as TensorFlow.js layers into a folder the user picks', async () => {
    await exporter.open()
    const folder = await exporter.exportModel(workDir, 'faces-tfjs')
    await expect(exporter.modelResult).toContainText('8-dimensional codes')
    await expect(exporter.modelResult).toContainText(folder)
    for (const part of ['encoder', 'decoder']) expect(existsSync(path.join(folder, part, 'model.json'))).toBe(true)
    await studio.screenshot('model-exported')
  })

  await test.step('export 100 generated faces as files, each with its code, and a manifest', async () => {
    const folder = await exporter.exportSamples(workDir, 'generated-faces', 100)
    const files = await readdir(folder)
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(100)
    const manifest = (await readFile(path.join(folder, 'manifest.csv'), 'utf8')).trim().split('\n')
    expect(manifest).toHaveLength(101)
    // Codes from the mixture fitted to the faces' codes, unless the prior is chosen.
    expect(manifest[1]).toMatch(/^sample_00000\.png,1,fitted,1,\d+$/)
    await studio.screenshot('generated-faces-exported')
    await exporter.samples.codesFrom.selectOption({ label: 'The prior N(0, I)' })
    await expect(exporter.samples.codesFrom).toHaveAccessibleDescription(/standard normal/)
    const fromPrior = await exporter.exportSamples(workDir, 'generated-from-prior', 3)
    expect((await readFile(path.join(fromPrior, 'manifest.csv'), 'utf8')).split('\n')[1]).toMatch(/^sample_00000\.png,1,prior,1,\d+$/)
  })
})
