/**
 * The real engine process, started from a bundle of the current sources (see `bundle-script.ts`)
 * instead of through tsx: the same code `forkEngine` runs, minus the seconds of compiling per
 * start, which matter to tests that kill and restart it twenty times.
 */
import { fork } from 'node:child_process'
import * as path from 'node:path'
import type { EngineChannel, EngineToHost } from '../../../src/main/engine/process/protocol'
import { workerEntries } from '../../../src/main/engine/workers/worker-entries'
import { StderrTail } from '../../../src/main/engine/workers/stderr-tail'
import { bundleScript, type Bundle } from './bundle-script'

export interface BundledEngine extends EngineChannel {
  /** Resolves with the exit's cause once the process is gone. */
  readonly exited: Promise<string>
}

const engine = path.resolve(__dirname, '../../../src/main/engine')

/** The engine's worker threads, built beside it as the app's build does. */
const engineWorkers = Object.fromEntries(Object.entries(workerEntries).map(([name, file]) => [name, path.join(engine, file)]))

export function bundleEngine(): Promise<Bundle> {
  return bundleScript(path.join(engine, 'process/entry.ts'), engineWorkers)
}

export function forkBundledEngine(file: string, env: NodeJS.ProcessEnv = process.env): BundledEngine {
  const child = fork(file, [], { serialization: 'advanced', env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
  const stderr = new StderrTail(child.stderr)
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ? `killed (${signal})` : `exited with code ${code}: ${stderr.lastLine ?? ''}`))
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
