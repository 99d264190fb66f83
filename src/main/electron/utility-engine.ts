/**
 * The engine process under Electron: a `utilityProcess` (a Node child that Chromium manages, so
 * it dies with the app and needs no separate Node binary). The child reaches us through
 * `process.parentPort`; messages are structured clones, so images stay `Uint8Array`s.
 */
import { utilityProcess } from 'electron'
import type { EngineChannel, EngineToHost } from '../engine/process/protocol'
import { StderrTail } from '../engine/workers/stderr-tail'

export function launchUtilityEngine(modulePath: string): EngineChannel {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'VAE Studio engine', stdio: 'pipe' })
  let exited = false
  let fatal: string | null = null
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk))
  const stderr = new StderrTail(child.stderr, process.stderr)
  child.on('error', (type, location) => {
    fatal = `${type} at ${location}`
  })
  // stderr can still hold the reason when 'exit' fires: wait for its end (or a moment) first.
  const stderrEnded = new Promise<void>((resolve) => {
    if (!child.stderr) return resolve()
    child.stderr.once('end', resolve)
    child.stderr.once('close', resolve)
  })
  child.on('exit', () => {
    exited = true
  })
  return {
    send: (message) => {
      if (!exited) child.postMessage(message)
    },
    onMessage: (listener) => child.on('message', (message: EngineToHost) => listener(message)),
    onExit: (listener) =>
      child.once('exit', (code) => {
        void Promise.race([stderrEnded, new Promise((resolve) => setTimeout(resolve, 1000))]).then(() => {
          const detail = fatal ?? stderr.lastLine
          listener(`the engine process exited with code ${code}${detail ? `: ${detail}` : ''}`)
        })
      }),
    kill: () => {
      child.kill()
    }
  }
}
