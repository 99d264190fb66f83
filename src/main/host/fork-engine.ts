/**
 * Starts the engine as a Node child process (CLI, serve mode, tests): `engine-process.js` from
 * the build, or the TypeScript entry through tsx from the sources (see `engine/workers/entry-point.ts`).
 */
import { fork } from 'node:child_process'
import type { EngineChannel, EngineToHost } from '../engine/process/protocol'
import { findEntry, tsxLoader } from '../engine/workers/entry-point'
import { StderrTail } from '../engine/workers/stderr-tail'

export function forkEngine(env: NodeJS.ProcessEnv = process.env): EngineChannel {
  const entry = findEntry('engine-process', 'process/entry.ts')
  const execArgv = entry.built ? [] : ['--import', tsxLoader()]
  const child = fork(entry.file, [], { execArgv, serialization: 'advanced', env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
  const stderr = new StderrTail(child.stderr, process.stderr)
  return {
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as EngineToHost)),
    // 'close', not 'exit': it comes once stderr is drained too, so the reason is never cut off.
    onExit: (listener) =>
      child.on('close', (code, signal) => {
        const lastLine = stderr.lastLine
        listener(
          signal
            ? `the engine process was killed (${signal})`
            : `the engine process exited with code ${code}${lastLine ? `: ${lastLine}` : ''}`
        )
      }),
    kill: () => {
      child.kill('SIGKILL')
    }
  }
}
