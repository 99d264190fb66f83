/**
 * The engine process's line to its host. Under Electron's utilityProcess the parent is reached
 * through `process.parentPort`; under `child_process.fork` (CLI, serve mode, tests) through
 * `process.send` / `process.on('message')`, forked with `serialization: 'advanced'` so typed
 * arrays cross intact.
 */
import type { EngineToHost, HostToEngine } from './protocol'

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

export interface ParentPort {
  send(message: EngineToHost): void
  onMessage(listener: (message: HostToEngine) => void): void
}

export function connectParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data as HostToEngine))
    }
  }
  if (!process.send) throw new Error('the engine process must be started by the studio (fork or utilityProcess)')
  return {
    // Events of a run winding down after the parent left have nowhere to go.
    send: (message) => {
      if (process.connected) process.send!(message)
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as HostToEngine))
  }
}
