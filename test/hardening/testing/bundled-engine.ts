/**
 * The real engine process, started from a bundle of the current sources (see `bundle-script.ts`)
 * instead of through tsx: the same code `forkEngine` runs, minus the seconds of compiling per
 * start, which matter to tests that kill and restart it twenty times.
 */
import { fork } from 'node:child_process'
import * as path from 'node:path'
import type { EngineChannel, EngineToHost } from '../../../src/main/engine/process/protocol'
import { engineWorkerEntries } from '../../../src/main/engine/engine-workers'
import { bundleScript, type Bundle } from './bundle-script'

export interface BundledEngine extends EngineChannel {
  /** Resolves with the exit's cause once the process is gone. */
  readonly exited: Promise<string>
}

const engine = path.resolve(__dirname, '../../../src/main/engine')

/** The engine's worker threads, built beside it as the app's build does. */
const engineWorkers = Object.fromEntries(Object.entries(engineWorkerEntries).map(([name, file]) => [name, path.join(engine, file)]))

export function bundleEngine(): Promise<Bundle> {
  return bundleScript(path.join(engine, 'process/entry.ts'), engineWorkers)
}

export function forkBundledEngine(file: string, env: NodeJS.ProcessEnv = process.env): BundledEngine {
  const child = fork(file, [], { serialization: 'advanced', env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000)
  })
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve(signal ? `killed (${signal})` : `exited with code ${code}: ${stderrTail.trim().split('\n').pop() ?? ''}`)
    )
  )
  return {
    exited,
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as EngineToHost)),
    onExit: (listener) => void exited.then(listener),
    kill: () => {
      child.kill('SIGKILL')
    }
  }
}
