/**
 * `utilityProcess.fork`: a real Node child running the given module (the app's engine bundle)
 * with `process.parentPort`, structured-clone messages, piped or inherited stdio and Electron's
 * 'spawn' / 'message' / 'exit' events. The test process hears of every fork, to kill one.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { constants } from 'node:os'
import * as path from 'node:path'
import { link } from './link'
import { requireReady } from './lifecycle'

const parentPortShim = path.join(__dirname, 'utility-parent-port.cjs')
const children = new Set<ChildProcess>()

export interface ForkOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  stdio?: 'pipe' | 'ignore' | 'inherit'
  serviceName?: string
  execArgv?: string[]
}

class UtilityProcess extends EventEmitter {
  constructor(private readonly child: ChildProcess) {
    super()
    child.on('spawn', () => this.emit('spawn'))
    child.on('message', (message) => this.emit('message', message))
    child.on('exit', (code, signal) => {
      children.delete(child)
      // Electron reports an exit code also for a process ended by a signal.
      const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 0)
      link.notify('utility-exited', { pid: child.pid, code: exitCode })
      this.emit('exit', exitCode)
    })
  }

  get pid(): number | undefined {
    return this.child.exitCode === null ? this.child.pid : undefined
  }

  get stdout() {
    return this.child.stdout
  }

  get stderr() {
    return this.child.stderr
  }

  postMessage(message: unknown): void {
    this.child.send(message as never)
  }

  kill(): boolean {
    return this.child.kill('SIGTERM')
  }
}

export const utilityProcess = {
  fork(modulePath: string, args: string[] = [], options: ForkOptions = {}): UtilityProcess {
    requireReady('utilityProcess cannot be created before app is ready.')
    const mode = options.stdio ?? 'inherit'
    const child = fork(modulePath, args, {
      execArgv: ['--require', parentPortShim, ...(options.execArgv ?? [])],
      serialization: 'advanced',
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [mode === 'pipe' ? 'pipe' : 'ignore', mode, mode, 'ipc']
    })
    children.add(child)
    link.notify('utility-forked', { pid: child.pid })
    return new UtilityProcess(child)
  }
}

/** Chromium ends its utility processes with the app. */
export function killUtilityProcesses(): void {
  for (const child of children) child.kill('SIGKILL')
}
