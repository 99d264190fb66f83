import { spawn, spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../../../test/support/project/temp-dir'
import { acquireProjectLock, holderGrace, lockPath, readProjectLock, type LockInfo } from './project-lock'
import { processStartTime } from './process-liveness'

const tempDir = useTempDirs()

/** The pid of a process that has ended (and was reaped): a holder that is gone. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(run.stdout)
}

async function writeLock(dir: string, fields: Partial<LockInfo>): Promise<void> {
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: '2026-12-06T21:04:00.000Z',
    holder: 'training in vae-studio train (pid 4242)',
    token: 'feedfeedfeedfeed',
    ...fields
  }
  await fs.writeFile(lockPath(dir), JSON.stringify(info))
}

const sleepers: Array<ReturnType<typeof spawn>> = []
afterEach(() => sleepers.splice(0).forEach((child) => child.kill('SIGKILL')))

describe('project lock', () => {
  it('is held by one writer: a second is refused with a message naming the holder, and may take it once released', async () => {
    const dir = await tempDir()
    const first = await acquireProjectLock(dir, 'training in vae-studio train (pid 1234)')
    expect(first.tookOver).toBeNull()
    expect(await readProjectLock(dir)).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
      holder: 'training in vae-studio train (pid 1234)'
    })

    const refused = await acquireProjectLock(dir, 'importing images in the VAE Studio desktop app').catch((err: unknown) => err)
    expect(refused).toMatchObject({ code: 'busy' })
    expect((refused as Error).message).toMatch(
      /^this project is in use: training in vae-studio train \(pid 1234\) has been writing to it since \d{4}-/
    )
    expect((refused as Error).message).toContain(lockPath(dir))

    await first.lock.release()
    await first.lock.release()
    expect(await readProjectLock(dir)).toBeNull()
    const second = await acquireProjectLock(dir, 'importing images in the VAE Studio desktop app')
    expect(second.tookOver).toBeNull()
    await second.lock.release()
  })

  it('gives a live holder a few seconds to let go: a writer that is just saving and leaving is waited for, not called busy', async () => {
    const dir = await tempDir()
    const first = await acquireProjectLock(dir, 'training in vae-studio train (pid 1234)')
    const waiting = acquireProjectLock(dir, 'training in vae-studio train (pid 5678)')
    setTimeout(() => void first.lock.release(), holderGrace.ms / 4)
    const second = await waiting
    expect(second.tookOver).toBeNull()
    expect(await readProjectLock(dir)).toMatchObject({ holder: 'training in vae-studio train (pid 5678)' })
    await second.lock.release()
  })

  it('takes over the lock of a process that is gone, and says whose it was', async () => {
    const dir = await tempDir()
    await writeLock(dir, { pid: deadPid() })
    const { lock, tookOver } = await acquireProjectLock(dir, 'training in vae-studio train (pid 1)')
    expect(tookOver).toMatch(
      /^took over the lock of a run that ended without releasing it \(training in vae-studio train \(pid 4242\), started /
    )
    expect((await readProjectLock(dir))?.token).toBe(lock.info.token)
    await lock.release()
  })

  it('takes over a lock whose pid now belongs to another process (started at another time)', async () => {
    const dir = await tempDir()
    const otherStart = String(Number(processStartTime(process.pid) ?? 0) + 12345)
    await writeLock(dir, { pid: process.pid, processStart: otherStart })
    const { lock, tookOver } = await acquireProjectLock(dir, 'training')
    expect(tookOver).toMatch(/took over the lock/)
    await lock.release()
  })

  it('respects a live holder and a holder on another host, and takes over a damaged lock file', async () => {
    const dir = await tempDir()
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    sleepers.push(sleeper)
    await writeLock(dir, { pid: sleeper.pid!, processStart: processStartTime(sleeper.pid!) })
    await expect(acquireProjectLock(dir, 'training')).rejects.toThrow(/in use: training in vae-studio train \(pid 4242\)/)

    await writeLock(dir, { host: 'elsewhere.example', pid: deadPid() })
    await expect(acquireProjectLock(dir, 'training')).rejects.toThrow(/^this project is in use on elsewhere\.example: .* delete /)

    await fs.writeFile(lockPath(dir), '{"pid": 12')
    await fs.utimes(lockPath(dir), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
    const { lock, tookOver } = await acquireProjectLock(dir, 'training')
    expect(tookOver).toMatch(/damaged project lock file/)
    await lock.release()
  })

  it('lets only one of many writers starting at once have it', async () => {
    const dir = await tempDir()
    const tries = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireProjectLock(dir, `writer ${i}`)))
    const won = tries.filter((t) => t.status === 'fulfilled')
    expect(won).toHaveLength(1)
    expect(tries.filter((t) => t.status === 'rejected').map((t) => (t as PromiseRejectedResult).reason.code)).toEqual(Array(7).fill('busy'))
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireProjectLock>>>).value.lock.release()
  })

  it('is let go when its process exits without releasing it', async () => {
    const dir = await tempDir()
    const script = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'project-lock.ts'))}).acquireProjectLock(${JSON.stringify(dir)}, 'child').then(() => process.exit(3))`
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 })
    expect(run.status, run.stderr).toBe(3)
    expect(await readProjectLock(dir)).toBeNull()
  })
})
