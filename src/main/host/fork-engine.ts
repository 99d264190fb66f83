/**
 * Starts the engine as a Node child process (CLI, serve mode, tests): `engine-process.js` from
 * the build, or the TypeScript entry through tsx from the sources (see `engine/workers/entry-point.ts`).
 */
import { fork } from 'node:child_process'
import type { EngineChannel, EngineToHost } from '../engine/process/protocol'
import { findEntry, tsxLoader } from '../engine/workers/entry-point'
import { StderrTail } from '../engine/workers/stderr-tail'

/** How long an ended engine's stderr may take to deliver its last line. */
const stderrWaitMs = 1000

export function forkEngine(env: NodeJS.ProcessEnv = process.env): EngineChannel {
  const entry = findEntry('engine-process', 'process/entry.ts')
  const execArgv = entry.built ? [] : ['--import', tsxLoader()]
  const child = fork(entry.file, [], { execArgv, serialization: 'advanced', env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
  const stderr = new StderrTail(child.stderr, process.stderr)
  const stderrClosed = new Promise((resolve) => child.stderr?.once('close', resolve))
  return {
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as EngineToHost)),
    // 'exit', then the end of stderr (which can still hold the reason), or a moment: 'close' never
    // comes in Node 20 once the host has disconnected the channel itself, as a graceful close does.
    onExit: (listener) =>
      child.once('exit', (code, signal) => {
        const late = new Promise((resolve) => setTimeout(resolve, stderrWaitMs).unref())
        void Promise.race([stderrClosed, late]).then(() => {
          const lastLine = stderr.lastLine
          listener(
            signal
              ? `the engine process was killed (${signal})`
              : `the engine process exited with code ${code}${lastLine ? `: ${lastLine}` : ''}`
          )
        })
      }),
    close: () => {
      if (child.connected) child.disconnect()
    },
    kill: () => {
      child.kill('SIGKILL')
    }
  }
}
