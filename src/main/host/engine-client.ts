/**
 * The host's handle on the engine process: correlates requests with responses, fans events out,
 * and when the process dies fails what was pending, says why, and (where the host restarts
 * engines) starts a fresh one after a delay its `RestartPolicy` chooses, or stops trying.
 * Requests made while a fresh engine is on its way wait for it; requests made after the host has
 * given up are answered at once with the reason.
 */
import { StudioError, type Envelope, messageOf } from '../../shared/errors'
import type { EngineStatus, StudioEvents } from '../../shared/events'
import type { EngineChannel, EngineLauncher, EngineToHost } from '../engine/process/protocol'
import { RestartPolicy } from './restart-policy'
import type { EventListener } from './types'

export interface EngineClientOptions {
  launch: EngineLauncher
  /** Start a new engine after a crash (the app and server do; the CLI reports and exits). */
  restartOnCrash: boolean
  /**
   * Called after a restart, before waiting requests run: e.g. reopen the project that was open.
   * Its requests go straight to the fresh engine.
   */
  onRestart?: (request: (method: string, params: unknown) => Promise<Envelope<unknown>>) => Promise<void>
  restartPolicy?: RestartPolicy
}

/** Time an engine asked to close has to save a running training before it is killed. */
export const closeGraceMs = 30_000
/** Time a killed engine has to be reported gone. */
const killWaitMs = 5000

/** True when `promise` settled within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer))
}

/** A promise with its settle functions, created before anyone needs the engine. */
class Readiness {
  settled = false
  readonly promise: Promise<string>
  resolve!: (backend: string) => void
  reject!: (err: Error) => void

  constructor() {
    this.promise = new Promise<string>((resolve, reject) => {
      this.resolve = (backend) => ((this.settled = true), resolve(backend))
      this.reject = (err) => ((this.settled = true), reject(err))
    })
    // A rejection nobody awaited yet must not crash the host.
    this.promise.catch(() => undefined)
  }
}

export class EngineClient {
  private channel: EngineChannel | null = null
  private readiness = new Readiness()
  private current: EngineStatus = { state: 'starting', crash: null }
  private nextId = 1
  private pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  private listeners = new Set<EventListener>()
  private restartTimer: NodeJS.Timeout | null = null
  /** Settles when the current engine process has exited. */
  private exited: Promise<void> = Promise.resolve()
  private disposed = false
  private readonly policy: RestartPolicy

  constructor(private readonly options: EngineClientOptions) {
    this.policy = options.restartPolicy ?? new RestartPolicy()
    this.start()
  }

  /** Resolves with the backend name once an engine is ready; rejects once the host gave up. */
  whenReady(): Promise<string> {
    return this.readiness.promise
  }

  status(): EngineStatus {
    return structuredClone(this.current)
  }

  async request(method: string, params: unknown): Promise<Envelope<unknown>> {
    try {
      await this.readiness.promise
    } catch (err) {
      return { error: { code: 'engine-stopped', message: messageOf(err) } }
    }
    return this.send(this.channel, method, params)
  }

  private send(channel: EngineChannel | null, method: string, params: unknown): Promise<Envelope<unknown>> {
    if (!channel || channel !== this.channel) {
      return Promise.resolve({ error: { code: 'engine-crashed', message: 'the engine process ended before the request was sent' } })
    }
    return new Promise((resolve) => {
      const id = this.nextId++
      this.pending.set(id, resolve)
      channel.send({ type: 'request', id, method, params })
    })
  }

  /** Starts an engine again after the host gave up (the user's "Restart the engine"). */
  restart(): EngineStatus {
    if (this.disposed || this.current.state !== 'stopped') return this.status()
    this.policy.reset()
    this.readiness = new Readiness()
    this.start()
    return this.status()
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Ends the engine: asks it to close by itself first (it stops a running training after the
   * current step and saves it, and lets go of the project's lock), and kills it when it has not
   * ended within `graceMs`. Resolves once the process is gone.
   */
  async dispose(graceMs = closeGraceMs): Promise<void> {
    this.disposed = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.readiness.reject(new StudioError('engine-stopped', 'the studio is shutting down'))
    const channel = this.channel
    const exited = this.exited
    if (!channel) return
    if (channel.close) {
      channel.close()
      if (await settlesWithin(exited, graceMs)) return
    }
    channel.kill()
    await settlesWithin(exited, killWaitMs)
  }

  /** Kills the engine at once, without letting it save (the CLI's second Ctrl+C). */
  async kill(): Promise<void> {
    const channel = this.channel
    if (!channel) return
    channel.kill()
    await settlesWithin(this.exited, killWaitMs)
  }

  private start(): void {
    this.restartTimer = null
    const restarting = this.current.crash !== null
    this.setStatus({ state: restarting ? 'restarting' : 'starting', crash: this.current.crash })
    let channel: EngineChannel
    try {
      channel = this.options.launch()
    } catch (err) {
      this.ended(null, `the engine process could not be started: ${messageOf(err)}`)
      return
    }
    this.channel = channel
    this.exited = new Promise<void>((resolve) =>
      channel.onExit((cause) => {
        resolve()
        this.ended(channel, cause)
      })
    )
    channel.onMessage((message: EngineToHost) => {
      if (message.type === 'ready') void this.becameReady(channel, message.backend, restarting)
      else if (message.type === 'response') {
        const resolve = this.pending.get(message.id)
        this.pending.delete(message.id)
        resolve?.(message.envelope)
      } else if (message.type === 'event') this.emit(message.event, message.payload)
    })
  }

  private async becameReady(channel: EngineChannel, backend: string, restarting: boolean): Promise<void> {
    // The project is reopened before waiting requests run, so they find it open again.
    if (restarting) await this.options.onRestart?.((method, params) => this.send(channel, method, params)).catch(() => undefined)
    if (this.channel !== channel) return
    this.readiness.resolve(backend)
    this.setStatus({ state: 'ready', crash: this.current.crash })
  }

  private ended(channel: EngineChannel | null, cause: string): void {
    if (channel !== this.channel) return
    this.channel = null
    for (const resolve of this.pending.values())
      resolve({ error: { code: 'engine-crashed', message: `${cause}; the request was not completed` } })
    this.pending.clear()
    if (this.disposed) return
    const delay = this.options.restartOnCrash ? this.policy.failed() : null
    if (delay === null) {
      this.readiness.reject(new StudioError('engine-stopped', `the engine is not running: ${cause}`))
      this.setStatus({ state: 'stopped', crash: { message: cause } })
      return
    }
    // Requests from now on wait for the fresh engine instead of failing.
    if (this.readiness.settled) this.readiness = new Readiness()
    this.setStatus({ state: 'restarting', crash: { message: cause } })
    this.restartTimer = setTimeout(() => this.start(), delay)
  }

  private setStatus(status: EngineStatus): void {
    this.current = status
    this.emit('engine:status', structuredClone(status))
  }

  private emit<E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]): void {
    for (const listener of this.listeners) listener(event, payload)
  }
}
