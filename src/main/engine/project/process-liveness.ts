/**
 * Whether the process that wrote a lock still runs. A pid alone can be reused after its process
 * ended (Linux hands pids out again, and after a reboot any pid may be someone else's), so on Linux
 * the lock also records when its process started, and a process with that pid but another start
 * time is not the holder.
 */
import { readFileSync } from 'node:fs'

/** The kernel's start time of `pid` (clock ticks since boot), or null where /proc cannot tell. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (the command) is in parentheses and may hold spaces; the start time is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[19] ?? null
  } catch {
    return null
  }
}

/** True while `pid` runs and (where it was recorded and can be read) started when it did then. */
export function processIsAlive(pid: number, startTime?: string | null): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    // EPERM: it runs, as another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (!startTime) return true
  const now = processStartTime(pid)
  return now === null || now === startTime
}
