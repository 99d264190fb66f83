/**
 * The CLI is one more client of the contract: it starts a host (validation, engine process) with
 * every path allowed, since the person typing the command owns the terminal, and talks to it
 * through the same generic client as the renderer.
 */
import * as path from 'node:path'
import type { StudioApi } from '../../shared/contract'
import { createClient } from '../../shared/transport/create-client'
import type { EngineChannel } from '../engine/process/protocol'
import { forkEngine } from '../host/fork-engine'
import { createStudioHost } from '../host/studio-host'
import type { StudioHost } from '../host/types'
import { memorySettingsStore } from '../host/memory-settings-store'

export interface OpenedStudio {
  studio: StudioApi
  host: StudioHost
  /** Lets the engine finish what it writes (a running training saves), then ends it. */
  close(): Promise<void>
  /** Ends the engine at once, saving nothing (a second Ctrl+C); resolves once it is gone. */
  killEngine(): Promise<void>
}

export interface OpenStudioOptions {
  backend?: string
  /** What the user ran, for the project's lock: "vae-studio train". */
  command?: string
}

export function openStudio(options: OpenStudioOptions = {}): OpenedStudio {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(options.backend && { VAE_STUDIO_BACKEND: options.backend }),
    VAE_STUDIO_CLIENT: `${options.command ?? 'vae-studio'} (pid ${process.pid})`
  }
  let engine: { channel: EngineChannel; exited: Promise<void> } | null = null
  const host = createStudioHost({
    transport: 'cli',
    settings: memorySettingsStore(),
    launchEngine: () => {
      const channel = forkEngine(env)
      engine = { channel, exited: new Promise((resolve) => channel.onExit(() => resolve())) }
      return channel
    },
    allowedRoots: [path.parse(process.cwd()).root]
  })
  const studio = createClient({
    invoke: (method, payload) => host.invoke(method, payload),
    subscribe: (event, listener) => host.subscribe((name, payload) => name === event && listener(payload))
  })
  return {
    studio,
    host,
    close: () => host.dispose(),
    async killEngine() {
      if (!engine) return
      engine.channel.kill()
      await engine.exited
    }
  }
}
