/**
 * A folder of photos as people have them — faces off-centre, tilted, several per photo, turned by
 * EXIF, grey, none at all — imported by face finding: the studio counts the faces, shows one in its
 * source photo with every face boxed and its labels, leaves one out (and brings it back, with Undo
 * and with Ctrl+Z), and trains on the rest.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { buildWildPhotos, wildPhotoSpecs } from '../test/fixtures/faces/wild-photos'
import { faceSet } from '../test/support/datasets'
import { expect, test } from './fixtures/studio-test'

const orl = faceSet('orl_faces')
test.skip(!orl, 'needs the ORL face set to build the photos from (VAE_STUDIO_DATASETS or ../shared/datasets)')

const names = ['lfw-like', 'one-tilted', 'two', 'three', 'exif-6', 'grey', 'no-face-room']

test('import photos by face finding, review a face in its photo, leave one out and train', async ({ studio, workDir }) => {
  const { dataset, train } = studio
  const folder = path.join(workDir, 'photos')
  await mkdir(folder)
  const photos = await buildWildPhotos(
    orl!,
    wildPhotoSpecs.filter((s) => names.includes(s.name))
  )
  for (const photo of photos) await writeFile(path.join(folder, `${photo.name}.jpg`), photo.bytes)
  const faces = photos.reduce((n, p) => n + p.faces.length, 0)

  await test.step('create a project and import the photos, finding every face', async () => {
    await studio.project.create(workDir, 'Wild photos')
    await dataset.importFolder(folder, { size: 32, gray: false, faces: true })
    await expect(dataset.importResult).toContainText(`Imported ${faces} faces found in ${photos.length} photos · 1 without a face`)
    await expect(dataset.skippedFiles).toContainText('no-face-room.jpg')
    await expect(dataset.thumbnails).toHaveCount(faces)
    await studio.screenshot('faces-imported')
  })

  await test.step('see a face in its source photo, with every face of the photo boxed', async () => {
    // Rows follow the files' order: three.jpg's faces come after exif-6, grey (2) and lfw-like…
    await dataset.showInPhoto(0)
    await expect(dataset.facePhoto).toHaveAttribute('data-faces', /^[1-9]/)
    await expect(dataset.faceLabels).toContainText(/About \d+ years/)
    await studio.screenshot('face-in-photo', dataset.facePanel)
  })

  await test.step('close the photo with Escape, open it again', async () => {
    await dataset.closePhoto()
    await dataset.showInPhoto(0)
  })

  await test.step('leave that face out, and the notice names it', async () => {
    await dataset.leaveOut()
    await expect(dataset.summary).toContainText(`${faces - 1} images`)
    await expect(dataset.skippedFiles.filter({ hasText: 'left out by you' })).toHaveCount(1)
    await expect(studio.notices.info.filter({ hasText: 'Face left out' })).toContainText(/\.jpg left out by you/)
    await studio.screenshot('face-left-out')
  })

  await test.step('bring it back with Undo', async () => {
    await studio.notices.act('Undo')
    await expect(dataset.summary).toContainText(`${faces} images`)
    await expect(dataset.skippedFiles.filter({ hasText: 'left out by you' })).toHaveCount(0)
    await expect(studio.notices.info.filter({ hasText: 'Brought back' })).toContainText('is in the dataset again')
  })

  await test.step('leave it out again, bring it back with Ctrl+Z, and leave it out for good', async () => {
    await dataset.showInPhoto(0)
    await dataset.leaveOut()
    await expect(dataset.summary).toContainText(`${faces - 1} images`)
    await dataset.undoWithKeyboard()
    await expect(dataset.summary).toContainText(`${faces} images`)
    await dataset.showInPhoto(0)
    await dataset.leaveOut()
    await expect(dataset.summary).toContainText(`${faces - 1} images`)
  })

  await test.step('train briefly on the faces that are left', async () => {
    await train.trainToEnd({ epochs: 2, batchSize: 4, latent: 4, learningRate: 0.003, beta: 1 })
    await expect(train.reconstructions).not.toHaveCount(0)
    await studio.screenshot('trained')
  })
})
