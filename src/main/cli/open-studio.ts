/**
 * The CLI is one more client of the contract: it starts a host (validation, engine process) with
 * every path allowed, since the person typing the command owns the terminal, and talks to it
 * through the same generic client as the renderer.
 */
import * as path from 'node:path'
import type { StudioApi } from '../../shared/contract'
import { createClient } from '../../shared/transport/create-client'
import { forkEngine } from '../host/fork-engine'
import { createStudioHost } from '../host/studio-host'
import type { StudioHost } from '../host/types'
import { memorySettingsStore } from '../host/memory-settings-store'

export interface OpenedStudio {
  studio: StudioApi
  host: StudioHost
  close(): Promise<void>
}

export function openStudio(options: { backend?: string } = {}): OpenedStudio {
  const env = options.backend ? { ...process.env, VAE_STUDIO_BACKEND: options.backend } : process.env
  const host = createStudioHost({
    transport: 'cli',
    settings: memorySettingsStore(),
    launchEngine: () => forkEngine(env),
    allowedRoots: [path.parse(process.cwd()).root]
  })
  const studio = createClient({
    invoke: (method, payload) => host.invoke(method, payload),
    subscribe: (event, listener) => host.subscribe((name, payload) => name === event && listener(payload))
  })
  return { studio, host, close: () => host.dispose() }
}
