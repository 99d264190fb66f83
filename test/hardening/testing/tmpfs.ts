/**
 * A real small disk for fault tests: a tmpfs mounted on a temp folder. Filling it gives the
 * kernel's own ENOSPC and remounting it read-only its own EROFS, which no permission bit can
 * fake for root. Mounting needs root with CAP_SYS_ADMIN; where that is missing the caller skips
 * and says why.
 */
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'

export interface Tmpfs {
  dir: string
  /** Writes a filler file until the disk refuses another byte; returns its path. */
  fill(): Promise<string>
  remount(options: string): void
  unmount(): void
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
}

/** Mounts a tmpfs of `bytes` on `dir` (created), or returns why it cannot. */
export async function mountTmpfs(dir: string, bytes: number): Promise<Tmpfs | { reason: string }> {
  await fs.mkdir(dir, { recursive: true })
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir])
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim()
    return { reason: `cannot mount a tmpfs here (${stderr || (err as Error).message})` }
  }
  return {
    dir,
    fill: async () => {
      const filler = path.join(dir, `filler-${Date.now()}`)
      const handle = await fs.open(filler, 'w')
      try {
        for (const chunk of [1 << 16, 1 << 12, 1]) {
          const data = Buffer.alloc(chunk, 0x55)
          for (;;) {
            try {
              await handle.write(data)
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break
              throw err
            }
          }
        }
      } finally {
        await handle.close()
      }
      return filler
    },
    remount: (options) => run('mount', ['-o', `remount,${options}`, dir]),
    unmount: () => run('umount', ['-l', dir])
  }
}
