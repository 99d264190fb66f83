/**
 * The session's holds on project locks (see project/project-lock.ts): training and importing take
 * their project's lock for as long as they write, and a session that already holds it (a run that
 * first writes the demo faces) takes it again without asking the file. The lock names the front
 * end the user started, from `VAE_STUDIO_CLIENT` ("vae-studio train (pid 1234)"), which its
 * launcher sets.
 */
import { acquireProjectLock, type HeldLock } from '../project/project-lock'
import { projectPaths } from '../project/project-paths'

/** Who runs this engine, in words: the launcher's description, or the app's. */
export function clientDescription(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VAE_STUDIO_CLIENT) return env.VAE_STUDIO_CLIENT
  const desktop = (process as unknown as { parentPort?: unknown }).parentPort !== undefined
  return `${desktop ? 'the VAE Studio desktop app' : 'VAE Studio'} (pid ${process.ppid})`
}

export type Release = () => Promise<void>

export class ProjectWriters {
  private readonly held = new Map<string, { lock: Promise<HeldLock>; count: number }>()

  constructor(
    /** Says that a lock left behind by a process that is gone was taken over. */
    private readonly tookOver: (message: string) => void,
    private readonly client: () => string = clientDescription
  ) {}

  /** Holds `dir`'s lock while `activity` ("training", "importing images") writes; refused with a `busy` error naming the holder. */
  async hold(dir: string, activity: string): Promise<Release> {
    const key = projectPaths(dir).root
    let entry = this.held.get(key)
    if (!entry) {
      const lock = acquireProjectLock(key, `${activity} in ${this.client()}`).then(({ lock, tookOver }) => {
        if (tookOver) this.tookOver(tookOver)
        return lock
      })
      entry = { lock, count: 0 }
      this.held.set(key, entry)
      lock.catch(() => this.held.get(key) === entry && this.held.delete(key))
    }
    entry.count++
    const mine = entry
    let lock: HeldLock
    try {
      lock = await mine.lock
    } catch (err) {
      mine.count--
      throw err
    }
    let released = false
    return async () => {
      if (released) return
      released = true
      if (--mine.count > 0) return
      if (this.held.get(key) === mine) this.held.delete(key)
      await lock.release()
    }
  }

  /** Lets go of every lock (the session is closing). */
  async releaseAll(): Promise<void> {
    const entries = [...this.held.values()]
    this.held.clear()
    await Promise.all(entries.map((e) => e.lock.then((lock) => lock.release()).catch(() => undefined)))
  }
}
