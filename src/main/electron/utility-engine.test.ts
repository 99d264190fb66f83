import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { beforeEach, describe, expect, it, vi } from 'vitest'

/** Stands in for Electron's UtilityProcess (the real one needs the Electron binary). */
class FakeUtilityProcess extends EventEmitter {
  readonly posted: unknown[] = []
  readonly stdout = new PassThrough()
  readonly stderr = new PassThrough()
  killed = false
  constructor(
    readonly modulePath: string,
    readonly options: unknown
  ) {
    super()
  }
  postMessage(message: unknown): void {
    this.posted.push(message)
  }
  kill(): boolean {
    this.killed = true
    return true
  }
}

const forks = vi.hoisted(() => [] as FakeUtilityProcess[])
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (modulePath: string, _args: string[], options: unknown) => {
      const child = new FakeUtilityProcess(modulePath, options)
      forks.push(child)
      return child
    }
  }
}))

const { launchUtilityEngine } = await import('./utility-engine')

beforeEach(() => {
  forks.length = 0
})

describe('launchUtilityEngine', () => {
  it('forks the engine entry and carries messages both ways', () => {
    const engine = launchUtilityEngine('/app/out/main/engine-process.js')
    const [child] = forks
    expect(child.modulePath).toBe('/app/out/main/engine-process.js')
    expect(child.options).toMatchObject({ stdio: 'pipe' })
    const received: unknown[] = []
    engine.onMessage((message) => received.push(message))
    child.emit('message', { type: 'ready', backend: 'wasm' })
    engine.send({ type: 'request', id: 1, method: 'engineInfo', params: undefined })
    expect(received).toEqual([{ type: 'ready', backend: 'wasm' }])
    expect(child.posted).toEqual([{ type: 'request', id: 1, method: 'engineInfo', params: undefined }])
    engine.kill()
    expect(child.killed).toBe(true)
  })

  it('names the cause of an exit with the last line the engine wrote, even one that arrives after the exit', async () => {
    const engine = launchUtilityEngine('engine.js')
    const [child] = forks
    const causes: string[] = []
    engine.onExit((cause) => causes.push(cause))
    child.stderr.write('loading wasm\n')
    child.emit('exit', 1)
    engine.send({ type: 'request', id: 2, method: 'engineInfo', params: undefined })
    expect(child.posted).toEqual([])
    // The pipe still held the reason when 'exit' fired.
    child.stderr.end('engine failed to start: no backend loads\n')
    await vi.waitFor(() => expect(causes).toEqual(['the engine process exited with code 1: engine failed to start: no backend loads']))
  })

  it('prefers a fatal V8 error as the cause', async () => {
    const engine = launchUtilityEngine('engine.js')
    const [child] = forks
    const causes: string[] = []
    engine.onExit((cause) => causes.push(cause))
    child.emit('error', 'FatalError', 'v8::internal::Heap::FatalProcessOutOfMemory', '{}')
    child.emit('exit', 5)
    child.stderr.end()
    await vi.waitFor(() =>
      expect(causes).toEqual(['the engine process exited with code 5: FatalError at v8::internal::Heap::FatalProcessOutOfMemory'])
    )
  })
})
