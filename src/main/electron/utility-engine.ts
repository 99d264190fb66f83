/**
 * The engine process under Electron: a `utilityProcess` (a Node child that Chromium manages, so
 * it dies with the app and needs no separate Node binary). The child reaches us through
 * `process.parentPort`; messages are structured clones, so images stay `Uint8Array`s.
 */
import { utilityProcess } from 'electron'
import type { EngineChannel, EngineToHost } from '../engine/process/protocol'

export function launchUtilityEngine(modulePath: string): EngineChannel {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'VAE Studio engine', stdio: 'pipe' })
  let exited = false
  let stderrTail = ''
  let fatal: string | null = null
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk))
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000)
    process.stderr.write(chunk)
  })
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
          const lastLine = stderrTail.trim().split('\n').pop()
          const detail = fatal ?? lastLine
          listener(`the engine process exited with code ${code}${detail ? `: ${detail}` : ''}`)
        })
      }),
    kill: () => {
      child.kill()
    }
  }
}
