/**
 * Starts the engine as a Node child process (CLI, serve mode, tests). From the built bundle it
 * forks `engine-process.js` beside this file; from sources (vitest, tsx) it forks the TypeScript
 * entry through tsx.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { EngineChannel, EngineToHost } from '../engine/process/protocol'

function entryPoint(): { file: string; execArgv: string[] } {
  // This module may be bundled into out/main or into a shared chunk below it.
  const built = [path.join(__dirname, 'engine-process.js'), path.join(__dirname, '..', 'engine-process.js')].find((file) =>
    existsSync(file)
  )
  if (built) return { file: built, execArgv: [] }
  // Resolved here, not by the child: the child's working folder may be anywhere.
  const tsx = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href
  return { file: path.resolve(__dirname, '../engine/process/entry.ts'), execArgv: ['--import', tsx] }
}

export function forkEngine(env: NodeJS.ProcessEnv = process.env): EngineChannel {
  const { file, execArgv } = entryPoint()
  const child = fork(file, [], { execArgv, serialization: 'advanced', env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000)
    process.stderr.write(chunk)
  })
  return {
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as EngineToHost)),
    // 'close', not 'exit': it comes once stderr is drained too, so the reason is never cut off.
    onExit: (listener) =>
      child.on('close', (code, signal) => {
        const lastLine = stderrTail.trim().split('\n').pop()
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
