/**
 * One writer per project, as two studios see it (two windows in serve mode, the desktop app and a
 * CLI): two engine sessions on one project folder, each training for real.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StudioEvents, TrainState } from '../../../shared/events'
import { smallModel, smallTrain, tempDir, useWasm } from '../../../../test/support/small-setup'
import { lockPath, readProjectLock } from '../project/project-lock'
import { engineHandlers } from './engine-handlers'
import { EngineSession } from './engine-session'

let root: string

function newSession(client: string) {
  const events: Array<{ event: keyof StudioEvents; payload: unknown }> = []
  const ends: Array<(s: TrainState) => void> = []
  const engine = new EngineSession(
    (event, payload) => {
      events.push({ event, payload })
      const state = payload as TrainState
      if (event === 'train:state' && ['finished', 'stopped', 'failed'].includes(state.state)) ends.splice(0).forEach((end) => end(state))
    },
    { name: 'wasm', available: ['wasm', 'cpu'] }
  )
  ;(engine.writers as unknown as { client: () => string }).client = () => client
  const handlers = engineHandlers(engine)
  const nextEnd = (): Promise<TrainState> => new Promise((resolve) => ends.push(resolve))
  return { engine, handlers, events, nextEnd }
}

beforeAll(async () => {
  await useWasm()
  root = await tempDir('one-writer')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('one writer per project', () => {
  it('refuses a second trainer and an import while one trains, naming it; readers keep working; the lock goes with the run', async () => {
    const project = path.join(root, 'shared.vaeproj')
    const a = newSession('vae-studio train (pid 111)')
    const b = newSession('the VAE Studio desktop app (pid 222)')
    try {
      await a.handlers.projectCreate({ path: project })
      await a.handlers.datasetDemo({ count: 48, seed: 3, size: 32 })
      // A first short run gives the project a checkpoint that readers can use.
      let end = a.nextEnd()
      await a.handlers.trainStart({ model: smallModel, train: smallTrain({ epochs: 1 }) })
      expect((await end).state).toBe('finished')
      expect(await readProjectLock(project)).toBeNull()

      end = a.nextEnd()
      await a.handlers.trainStart({ model: smallModel, train: smallTrain({ epochs: 400 }) })
      expect(await readProjectLock(project)).toMatchObject({ pid: process.pid, holder: 'training in vae-studio train (pid 111)' })

      await b.handlers.projectOpen({ path: project })
      const refused = await b.handlers.trainStart({ model: smallModel, train: smallTrain({ epochs: 400 }) }).catch((e: unknown) => e)
      expect(refused).toMatchObject({ code: 'busy' })
      expect((refused as Error).message).toMatch(
        /^this project is in use: training in vae-studio train \(pid 111\) has been writing to it since /
      )
      const importRefused = await b.handlers.datasetDemo({ count: 20, seed: 1, size: 32 }).catch((e: unknown) => e)
      expect(importRefused).toMatchObject({ code: 'busy' })
      expect(b.events.filter((e) => e.event === 'train:state' && (e.payload as TrainState).state === 'running')).toHaveLength(0)
      // Readers: the summary, the images, samples of the saved checkpoint.
      expect((await b.handlers.projectOpen({ path: project })).imageCount).toBe(48)
      expect(await b.handlers.datasetThumbnails({ from: 0, count: 2 })).toHaveLength(2)
      expect((await b.handlers.modelSample({ count: 2, temperature: 1, seed: 1 })).z).toHaveLength(2)

      await a.handlers.trainStop()
      expect((await end).state).toBe('stopped')
      await expect(fs.access(lockPath(project))).rejects.toMatchObject({ code: 'ENOENT' })

      // Free again: the other studio may write now.
      const endB = b.nextEnd()
      await b.handlers.trainStart({ model: smallModel, train: smallTrain({ epochs: 2 }) })
      expect(await readProjectLock(project)).toMatchObject({ holder: 'training in the VAE Studio desktop app (pid 222)' })
      expect((await endB).state).toBe('finished')
      expect(await readProjectLock(project)).toBeNull()
    } finally {
      await a.engine.dispose()
      await b.engine.dispose()
    }
  }, 300_000)

  it('lets go of the lock when the session closes mid-run (the engine ends with its window or terminal)', async () => {
    const project = path.join(root, 'closing.vaeproj')
    const a = newSession('vae-studio serve (pid 333)')
    await a.handlers.projectCreate({ path: project })
    await a.handlers.datasetDemo({ count: 32, seed: 5, size: 32 })
    await a.handlers.trainStart({ model: smallModel, train: smallTrain({ epochs: 400 }) })
    expect(await readProjectLock(project)).not.toBeNull()
    await a.engine.dispose()
    expect(await readProjectLock(project)).toBeNull()
  }, 120_000)
})
