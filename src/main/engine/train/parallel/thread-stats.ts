/**
 * Per-thread scheduler figures and priority on Linux, through /proc/thread-self (which names the
 * calling thread, worker threads included). Elsewhere they read as zero and change nothing.
 */
import { readFileSync, readlinkSync } from 'node:fs'
import * as os from 'node:os'

export interface SchedStat {
  /** Time on a CPU. In a VM this includes time the host took the vCPU away. */
  cpuNs: number
  /** Time runnable but waiting for a CPU (other threads of this machine were running). */
  runQueueNs: number
}

export function readSchedStat(): SchedStat {
  if (process.platform !== 'linux') return { cpuNs: 0, runQueueNs: 0 }
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number)
    return { cpuNs: cpu, runQueueNs: wait }
  } catch {
    return { cpuNs: 0, runQueueNs: 0 }
  }
}

/** The kernel's id of the calling thread (Linux), or null. */
export function threadId(): number | null {
  if (process.platform !== 'linux') return null
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop())
  } catch {
    return null
  }
}

/**
 * Lowers the calling thread's priority only (Linux applies `setpriority` to a thread id), so the
 * engine thread's decodes win the CPU over training. Not on other systems, where the same call
 * would renice the whole process, engine thread included.
 */
export function niceCurrentThread(niceness: number): void {
  if (niceness === 0) return
  const tid = threadId()
  if (tid === null) return
  try {
    os.setPriority(tid, niceness)
  } catch {
    // Not permitted here: run at normal priority.
  }
}
