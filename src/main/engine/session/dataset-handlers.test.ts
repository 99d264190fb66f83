import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/support/small-setup'
import { undoDepth } from '../dataset/exclusion-undo'
import { engineHandlers } from './engine-handlers'
import { EngineSession } from './engine-session'

let root: string

function newSession() {
  const engine = new EngineSession(() => undefined, { name: 'cpu', available: ['cpu'] })
  return { ...engineHandlers(engine), dispose: () => engine.dispose() }
}

beforeAll(async () => {
  root = await tempDir('dataset-handlers')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('leaving images out, and bringing them back', () => {
  it('undoes exclusions newest first, the same images in the same order, also after a restart', async () => {
    const session = newSession()
    const project = path.join(root, 'undo.vaeproj')
    await session.projectCreate({ path: project })
    await session.datasetDemo({ count: 16, seed: 2, size: 32 })
    const before = await session.datasetThumbnails({ from: 0, count: 16 })

    expect((await session.datasetExclude({ indices: [3], wholePhotos: false })).imported).toBe(15)
    expect((await session.datasetExclude({ indices: [0, 1], wholePhotos: false })).imported).toBe(13)
    expect(await session.datasetSkipped()).toHaveLength(3)

    expect((await session.datasetUndoExclude()).imported).toBe(15)
    expect(await session.datasetSkipped()).toEqual([{ file: 'face_00003.png', reason: 'left out by you' }])
    session.dispose()

    // A new engine (the app restarted) still has the first exclusion to undo.
    const again = newSession()
    await again.projectOpen({ path: project })
    expect((await again.datasetUndoExclude()).imported).toBe(16)
    expect(await again.datasetThumbnails({ from: 0, count: 16 })).toEqual(before)
    expect(await again.datasetSkipped()).toEqual([])
    await expect(again.datasetUndoExclude()).rejects.toMatchObject({ code: 'not-found' })
    again.dispose()
  })

  it('keeps the newest exclusions only, and forgets them when the dataset is replaced', async () => {
    const session = newSession()
    const project = path.join(root, 'depth.vaeproj')
    await session.projectCreate({ path: project })
    await session.datasetDemo({ count: 32, seed: 1, size: 32 })
    for (let i = 0; i < undoDepth + 2; i++) await session.datasetExclude({ indices: [0], wholePhotos: false })
    for (let i = 0; i < undoDepth; i++) await session.datasetUndoExclude()
    expect((await session.projectCurrent())?.imageCount).toBe(32 - 2)
    await expect(session.datasetUndoExclude()).rejects.toMatchObject({ code: 'not-found' })

    await session.datasetExclude({ indices: [0], wholePhotos: false })
    await session.datasetDemo({ count: 16, seed: 1, size: 32 })
    await expect(session.datasetUndoExclude()).rejects.toMatchObject({ code: 'not-found' })
    session.dispose()
  })

  it('names a missing image as the user counts them, from 1', async () => {
    const session = newSession()
    await session.projectCreate({ path: path.join(root, 'numbers.vaeproj') })
    await session.datasetDemo({ count: 16, seed: 1, size: 32 })
    const missing = 'image 17 does not exist: the dataset has 16 images (1–16)'
    await expect(session.datasetExclude({ indices: [2, 16], wholePhotos: false })).rejects.toMatchObject({
      code: 'invalid-request',
      message: missing
    })
    await expect(session.datasetFace({ index: 16 })).rejects.toMatchObject({ code: 'invalid-request', message: missing })
    // The last image (row 15) exists: the demo faces have no source photo, which is another refusal.
    await expect(session.datasetFace({ index: 15 })).rejects.toMatchObject({ code: 'not-found' })
    session.dispose()
  })

  it('gives no detector score to images imported whole', async () => {
    const session = newSession()
    await session.projectCreate({ path: path.join(root, 'scores.vaeproj') })
    await session.datasetDemo({ count: 16, seed: 1, size: 32 })
    expect(await session.datasetScores()).toEqual(new Array(16).fill(null))
    session.dispose()
  })

  it('says at once that demo faces are on their way and when they are done, and stops them on cancel with the dataset as it was', async () => {
    const events: Array<{ name: string; payload: unknown }> = []
    let cancel = (): unknown => undefined
    const engine = new EngineSession(
      (name, payload) => {
        events.push({ name, payload })
        // Cancelled as soon as the first report arrives, before any face is written.
        if (name === 'dataset:progress' && (payload as { total: number }).total === 400) cancel()
      },
      { name: 'cpu', available: ['cpu'] }
    )
    const session = engineHandlers(engine)
    cancel = () => session.datasetCancel()
    await session.projectCreate({ path: path.join(root, 'cancel-demo.vaeproj') })
    await session.datasetDemo({ count: 16, seed: 1, size: 32 })
    const before = await session.datasetThumbnails({ from: 0, count: 16 })
    events.length = 0

    await expect(session.datasetDemo({ count: 400, seed: 2, size: 32 })).rejects.toMatchObject({ code: 'cancelled' })
    // The last report says the import is over, so a window that did not start it stops waiting.
    expect(events.filter((e) => e.name === 'dataset:progress').map((e) => e.payload)).toEqual([
      { done: 0, total: 400, imported: 0, skipped: 0 },
      { done: 0, total: 400, imported: 0, skipped: 0, ended: true }
    ])
    expect((await session.projectCurrent())?.imageCount).toBe(16)
    expect(await session.datasetThumbnails({ from: 0, count: 16 })).toEqual(before)
    const leftovers = (await fs.readdir(path.join(root, 'cancel-demo.vaeproj', 'dataset'))).filter((f) => f.endsWith('.tmp'))
    expect(leftovers).toEqual([])

    events.length = 0
    await session.datasetDemo({ count: 200, seed: 2, size: 32 })
    expect(events.filter((e) => e.name === 'dataset:progress').map((e) => e.payload)).toEqual([
      { done: 0, total: 200, imported: 0, skipped: 0 },
      { done: 200, total: 200, imported: 200, skipped: 0 },
      { done: 200, total: 200, imported: 200, skipped: 0, ended: true }
    ])
    engine.dispose()
  })
})
