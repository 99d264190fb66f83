/**
 * Messages between the host and the engine process: plain, structured-clone-safe data only.
 * Requests carry a contract method name and an id; the engine answers with the same id and an
 * envelope, and pushes events (progress, state) without an id.
 */
import type { Envelope } from '../../../shared/errors'
import type { StudioEvents } from '../../../shared/events'

export interface EngineRequest {
  type: 'request'
  id: number
  method: string
  params: unknown
}

export interface EngineResponse {
  type: 'response'
  id: number
  envelope: Envelope<unknown>
}

export interface EngineEvent<E extends keyof StudioEvents = keyof StudioEvents> {
  type: 'event'
  event: E
  payload: StudioEvents[E]
}

/** Sent once when the engine has loaded its backend and is ready for requests. */
export interface EngineReady {
  type: 'ready'
  backend: string
}

export type HostToEngine = EngineRequest
export type EngineToHost = EngineResponse | EngineEvent | EngineReady

/**
 * A running engine process, whatever started it (`child_process.fork` under Node,
 * `utilityProcess.fork` in Electron).
 */
export interface EngineChannel {
  send(message: HostToEngine): void
  onMessage(listener: (message: EngineToHost) => void): void
  /** Called once when the process is gone, with a human-readable cause. */
  onExit(listener: (cause: string) => void): void
  /**
   * Asks the engine to end by itself: it saves a running training and releases the project's lock
   * first (the IPC channel is closed). Where absent, `kill` is all there is.
   */
  close?(): void
  /** Ends the process at once (SIGKILL where the launcher can). */
  kill(): void
}

export type EngineLauncher = () => EngineChannel
