/**
 * The host's handle on the engine process: correlates requests with responses, fans events out,
 * and when the process dies fails what was pending, says so, and starts a fresh one.
 */
import type { Envelope } from '../../shared/errors'
import type { StudioEvents } from '../../shared/events'
import type { EngineChannel, EngineLauncher, EngineToHost } from '../engine/process/protocol'
import type { EventListener } from './types'

interface Pending {
  resolve: (envelope: Envelope<unknown>) => void
}

export interface EngineClientOptions {
  launch: EngineLauncher
  /** Start a new engine after a crash (the app and server do; the CLI reports and exits). */
  restartOnCrash: boolean
  /** Called after a restart, before queued requests run: e.g. reopen the project that was open. */
  onRestart?: (client: EngineClient) => Promise<void>
}

export class EngineClient {
  private channel!: EngineChannel
  private ready!: Promise<string>
  private nextId = 1
  private pending = new Map<number, Pending>()
  private listeners = new Set<EventListener>()
  private disposed = false

  constructor(private readonly options: EngineClientOptions) {
    this.start()
  }

  /** Resolves with the backend name once the engine has loaded it. */
  whenReady(): Promise<string> {
    return this.ready
  }

  async request(method: string, params: unknown): Promise<Envelope<unknown>> {
    await this.ready
    return new Promise((resolve) => {
      const id = this.nextId++
      this.pending.set(id, { resolve })
      this.channel.send({ type: 'request', id, method, params })
    })
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  dispose(): void {
    this.disposed = true
    this.channel.kill()
  }

  private start(): void {
    const channel = this.options.launch()
    this.channel = channel
    let markReady!: (backend: string) => void
    let failReady!: (err: Error) => void
    this.ready = new Promise<string>((resolve, reject) => {
      markReady = resolve
      failReady = reject
    })
    // A rejected readiness that nobody awaited yet must not crash the host.
    this.ready.catch(() => undefined)
    channel.onMessage((message: EngineToHost) => {
      if (message.type === 'ready') markReady(message.backend)
      else if (message.type === 'response') {
        const pending = this.pending.get(message.id)
        this.pending.delete(message.id)
        pending?.resolve(message.envelope)
      } else if (message.type === 'event') this.emit(message.event, message.payload)
    })
    channel.onExit((cause) => {
      if (this.channel !== channel) return
      failReady(new Error(cause))
      for (const pending of this.pending.values()) pending.resolve({ error: { code: 'engine-crashed', message: `${cause}; the request was not completed` } })
      this.pending.clear()
      if (this.disposed) return
      this.emit('engine:crash', { message: cause, restarted: false })
      if (!this.options.restartOnCrash) return
      this.start()
      void this.ready
        .then(() => this.options.onRestart?.(this))
        .then(() => this.emit('engine:crash', { message: cause, restarted: true }))
        .catch(() => undefined)
    })
  }

  private emit<E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]): void {
    for (const listener of this.listeners) listener(event, payload)
  }
}
