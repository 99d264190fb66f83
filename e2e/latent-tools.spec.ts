/**
 * The latent tools on a freshly trained model of the demo faces: an interpolation exported as a
 * looping GIF, an attribute vector made from faces with and without glasses and moved with its
 * slider, a pass through every other tool, and the exports that round-trip (a PNG carrying its
 * code, the TensorFlow.js model). A few epochs of 200 faces at 32 px keep the training short.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import * as path from 'node:path'
import sharp from 'sharp'
import { writeDemoFolder } from './fixtures/demo-folder'
import { expect, root, test } from './fixtures/studio-test'

const faces = 200

/** Mean absolute change per colour byte between two RGBA canvases (alpha left out). */
function meanChange(a: number[], b: number[]): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) sum += Math.abs(a[i] - b[i])
  return sum / ((a.length / 4) * 3)
}

test('latent tools: interpolation GIF, attribute vector, the other tools and round-trip exports', async ({ studio, workDir }) => {
  const { page } = studio
  const demo = await writeDemoFolder(root, path.join(workDir, 'demo-faces'), faces)
  const withGlasses = demo.labels.flatMap((f, i) => (f.glasses ? [i] : [])).slice(0, 5)
  const withoutGlasses = demo.labels.flatMap((f, i) => (f.glasses ? [] : [i])).slice(0, 6)
  // Interpolate between the darkest and the lightest face among the first rows of the grid:
  // even a briefly trained model tells those apart.
  const firstRows = demo.labels.slice(0, 30).map((f, i) => ({ i, skin: f.skinTone }))
  const darkest = firstRows.reduce((a, b) => (b.skin > a.skin ? b : a)).i
  const lightest = firstRows.reduce((a, b) => (b.skin < a.skin ? b : a)).i

  await test.step('train a small model on a folder of demo faces', async () => {
    await studio.createProject(workDir, 'Tools')
    await studio.importFolder(demo.folder, 32, false)
    await expect(studio.byId('import-result')).toContainText(`Imported ${faces} images`)
    await studio.trainToEnd({ epochs: 5, batchSize: 16, latent: 8, learningRate: 0.003, beta: 0.1 })
  })

  await test.step('interpolate between two dataset images and export a looping GIF', async () => {
    await studio.openTool('interpolate')
    await studio.byId('interp-frames').fill('6')
    // Click the thumbnails themselves: start, then the picker moves on to the end by itself.
    await expect(studio.byId('slot-interp-start-fill')).toHaveAttribute('aria-pressed', 'true')
    const thumbnail = (i: number) => studio.byId('pick-grid').locator(`[data-index="${i}"]`)
    await expect(thumbnail(darkest).locator('canvas')).toBeVisible()
    await thumbnail(darkest).click()
    await expect(studio.byId('slot-interp-end-fill')).toHaveAttribute('aria-pressed', 'true')
    await thumbnail(lightest).click()
    await expect(studio.byId('interp-strip').locator('canvas')).toHaveCount(6)
    await expect(studio.byId('interp-animation-frames')).toHaveText('10 frames, looping')
    await studio.screenshot('interpolation')

    const gif = await studio.exportPng(studio.byId('interp-export-gif'), 'interpolation.gif')
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

    const webp = await studio.exportPng(studio.byId('interp-export-webp'), 'interpolation.webp')
    expect(await sharp(webp, { animated: true }).metadata()).toMatchObject({ format: 'webp', pages: 10 })
  })

  await test.step('make a "glasses" vector from two groups and move its slider', async () => {
    await studio.openTool('attributes')
    await studio.pickImages('attr-with', withGlasses)
    await studio.pickImages('attr-without', withoutGlasses)
    await studio.byId('attr-name').fill('glasses')
    await studio.byId('attr-create').click()
    await expect(studio.byId('attr-list')).toContainText('glasses')
    await expect(studio.byId('attr-list')).toContainText(`${withGlasses.length} with · ${withoutGlasses.length} without`)

    await studio.pickImages('attr-target', [withoutGlasses[0]])
    await expect(studio.byId('attr-live')).toBeVisible()
    await expect(studio.byId('attr-strip').locator('canvas')).toHaveCount(7)
    await expect.poll(async () => (await studio.canvasPixels('attr-live')).some((v, i) => i % 4 !== 3 && v !== 0)).toBe(true)
    const before = await studio.canvasPixels('attr-live')
    // The slider works from the keyboard: End moves it to +3.
    await studio.byId('attr-slider').focus()
    await page.keyboard.press('End')
    await expect(studio.byId('attr-amount')).toHaveText('+3.0')
    await expect.poll(async () => meanChange(await studio.canvasPixels('attr-live'), before)).toBeGreaterThan(1)
    await studio.byId('attr-strip').scrollIntoViewIfNeeded()
    await studio.screenshot('attribute-plus-3')
    await page.keyboard.press('Home')
    await expect(studio.byId('attr-amount')).toHaveText('−3.0')
    await expect.poll(async () => meanChange(await studio.canvasPixels('attr-live'), before)).toBeGreaterThan(1)
  })

  await test.step('arithmetic with a saved recipe', async () => {
    await studio.openTool('arithmetic')
    await studio.pickImages('arith-a', [withGlasses[1]])
    await studio.pickImages('arith-b', withGlasses.slice(2))
    // C from the keyboard: the grid is a listbox (arrows move, Enter picks).
    await studio.byId('slot-arith-c-fill').click()
    await studio.byId('pick-grid').focus()
    for (const key of ['Home', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Enter']) await page.keyboard.press(key)
    await expect(studio.byId('slot-arith-c')).toContainText('#4')
    await expect(studio.byId('arith-result')).toBeVisible()
    await studio.byId('recipe-name').fill('glasses off')
    await studio.byId('recipe-save').click()
    await expect(studio.byId('recipe')).toHaveCount(1)
    await expect(studio.byId('recipe')).toContainText('glasses off')
    await expect(studio.byId('recipe')).toContainText(`#${withGlasses[1] + 1} − 3 images + #4`)
    await studio.screenshot('arithmetic')
  })

  await test.step('denoise, compression and the nearest training image', async () => {
    await studio.openTool('denoise')
    await studio.pickImages('denoise-image', [3])
    await expect(studio.byId('denoise-psnr')).toContainText('dB')
    const gaussian = await studio.byId('denoise-psnr').textContent()
    await studio.byId('denoise-kind-mask').click()
    await expect(studio.byId('denoise-psnr')).not.toHaveText(gaussian ?? '')
    await studio.screenshot('denoise')
    // The tools follow the system's dark theme like the rest of the studio.
    await page.emulateMedia({ colorScheme: 'dark' })
    await studio.screenshot('denoise-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    await studio.openTool('compression')
    await studio.pickImages('compression-image', [3])
    await expect(studio.byId('compression-table')).toContainText('float16')
    await studio.screenshot('compression')

    await studio.openTool('nearest')
    await expect(studio.byId('picker-source-dataset')).toBeDisabled()
    await studio.byId('picker-source-samples').click()
    await studio.byId('picker-sample').click()
    await studio.byId('picker-samples').getByRole('button').first().click()
    await expect(studio.byId('nearest-distance')).toHaveText(/^\d/)
    await studio.screenshot('nearest')
  })

  await test.step('the fixed-seed timeline over the saved checkpoints', async () => {
    // The tool list is a vertical tab list: Down moves from "Nearest image" to "Timeline".
    await studio.byId('tool-nearest').focus()
    await page.keyboard.press('ArrowDown')
    await expect(studio.byId('tool-timeline')).toHaveAttribute('aria-selected', 'true')
    await expect(studio.byId('tool-timeline')).toBeFocused()
    await studio.byId('timeline-run').click()
    await expect(studio.byId('timeline-frame').first()).toBeVisible()
    await expect(studio.byId('timeline-frame').first().locator('canvas')).toHaveCount(8)
    await studio.screenshot('timeline')
  })

  await test.step('export a PNG with its code and import it back onto the latent canvas', async () => {
    await studio.byId('tab-latent').click()
    await expect(studio.byId('latent-position')).toBeVisible({ timeout: 60_000 })
    await studio.byId('tab-export').click()
    const file = await studio.exportPng(studio.byId('export-current'), 'with-code.png')
    expect((await sharp(file).metadata()).format).toBe('png')
    await studio.byId('import-code-png').setInputFiles({ name: 'with-code.png', mimeType: 'image/png', buffer: await readFile(file) })
    await expect(studio.byId('tab-latent')).toHaveAttribute('aria-selected', 'true')
    await expect(studio.byId('tray-item')).toHaveCount(1)
    await expect(studio.byId('tray-item').getByRole('button').first()).toHaveAttribute('title', /restored · step \d+/)
    await studio.byId('tray').scrollIntoViewIfNeeded()
    await studio.screenshot('restored')
    // The memorisation check of the canvas's image is one click away.
    await studio.byId('latent-nearest').click()
    await expect(studio.byId('tool-nearest')).toHaveAttribute('aria-selected', 'true')
    await expect(studio.byId('nearest-distance')).toHaveText(/^\d/)
  })

  await test.step('export the model as TensorFlow.js layers into a folder the user picks', async () => {
    await studio.byId('tab-export').click()
    const folder = await studio.exportModel(workDir, 'faces-tfjs')
    await expect(studio.byId('export-model-result')).toContainText('8-dimensional codes')
    await expect(studio.byId('export-model-result')).toContainText(folder)
    for (const part of ['encoder', 'decoder']) expect(existsSync(path.join(folder, part, 'model.json'))).toBe(true)
    await studio.screenshot('model-exported')
  })
})
