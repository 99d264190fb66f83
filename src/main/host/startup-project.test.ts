import { promises as fs } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toEnvelopeError, type Envelope } from '../../shared/errors'
import { tempDir } from '../../../test/support/small-setup'
import { engineHandlers } from '../engine/session/engine-handlers'
import { EngineSession } from '../engine/session/engine-session'
import { openStartupProject } from './startup-project'
import type { StudioHost } from './types'

let root: string
beforeAll(async () => {
  root = await tempDir('startup-project')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

/** The host as the start-up sees it: requests go to an engine in this process; no project was open before. */
function hostWith(onEvent: (name: string, payload: unknown, handlers: ReturnType<typeof engineHandlers>) => void) {
  let handlers: ReturnType<typeof engineHandlers> | null = null
  const engine = new EngineSession((name, payload) => onEvent(name, payload, handlers!), { name: 'cpu', available: ['cpu'] })
  handlers = engineHandlers(engine)
  const run = handlers as unknown as Record<string, (payload: unknown) => Promise<unknown>>
  const invoke = async (method: string, payload: unknown): Promise<Envelope<unknown>> => {
    if (method === 'projectRecent') return { result: [] }
    try {
      return { result: await run[method](payload) }
    } catch (err) {
      return toEnvelopeError(err)
    }
  }
  const host = { allowRoot: () => undefined, sequence: (steps) => steps(invoke) } as Pick<StudioHost, 'allowRoot' | 'sequence'>
  return { host: host as StudioHost, engine }
}

describe('the project the studio opens at first start', () => {
  it('stays open without images when the user cancels the demo faces, rather than failing to start', async () => {
    const progress: unknown[] = []
    const { host, engine } = hostWith((name, payload, handlers) => {
      if (name !== 'dataset:progress') return
      progress.push(payload)
      // The user presses Cancel on the Dataset view as soon as the faces are on their way.
      if (progress.length === 1) void handlers.datasetCancel()
    })
    const project = await openStartupProject(host, undefined, root)
    expect(project).toMatchObject({ name: 'Demo faces', imageCount: 0 })
    expect(progress[0]).toMatchObject({ done: 0, total: 2000 })
    expect(progress.at(-1)).toMatchObject({ done: 0, total: 2000, ended: true })
    engine.dispose()
  })
})
