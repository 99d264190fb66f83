/**
 * How `vae-studio train` follows a run to its end, and what it exits with. Nothing here waits
 * forever:
 *
 * - Ctrl+C (or SIGTERM, SIGHUP) stops training after the current step; the engine saves a
 *   checkpoint at that step, the CLI says where and exits 130. A second Ctrl+C within a few
 *   seconds ends the engine at once, says which steps were not saved, and exits 130 too.
 * - A run that pauses by itself (the disk refuses a save after a few tries, a training worker is
 *   lost or hangs) cannot be resumed from a terminal: the CLI prints the reason, stops the run
 *   (which saves what it can) and exits 75, "try again": the same command resumes once the cause
 *   is fixed.
 * - Finished 0; failed (diverged, the engine died) 1.
 */
import * as path from 'node:path'
import type { StudioApi } from '../../shared/contract'
import type { TrainState } from '../../shared/events'
import { listCheckpoints } from '../engine/project/checkpoint-list'
import { projectPaths } from '../engine/project/project-paths'
import type { Reporter } from './reporter'

export const exitCodes = { finished: 0, failed: 1, interrupted: 130, paused: 75 } as const

/** A second Ctrl+C within this many ms quits without saving. */
export const forceWindowMs = 3000
/**
 * Interrupts this soon after the first are the same Ctrl+C relayed: `npx`, `npm run` and `timeout`
 * pass the terminal's SIGINT on to the CLI, which got it from the terminal too.
 */
export const relayMs = 500

export interface FollowOptions {
  studio: StudioApi
  reporter: Reporter
  project: string
  /** Ends the engine at once (a second Ctrl+C). */
  killEngine(): Promise<void>
  /** Where interrupts come from (the process; tests pass an emitter). */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'>
  /** The clock interrupts are timed by (tests pass their own). */
  now?: () => number
  /** Starts the run; interrupts are already handled while it starts. */
  start(): Promise<unknown>
}

const endSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export async function followRun(options: FollowOptions): Promise<number> {
  const { studio, reporter, project } = options
  const signals = options.signals ?? process
  let cause: 'interrupt' | 'pause' | null = null
  let lastInterrupt = 0
  let lastStep: number | null = null
  let started = false
  let forcing = false
  let over = false
  let settle!: (outcome: { final: TrainState } | { forced: true }) => void
  const ended = new Promise<{ final: TrainState } | { forced: true }>(
    (resolve) =>
      (settle = (outcome) => {
        over = true
        resolve(outcome)
      })
  )
  const terminal = (s: TrainState): boolean => s.state === 'finished' || s.state === 'stopped' || s.state === 'failed'
  const stop = (): void => void studio.trainStop().catch(() => undefined)

  const unsubscribe = [
    studio.on('train:progress', (p) => (lastStep = p.step)),
    studio.on('train:state', (s) => {
      reporter.state(s)
      if (terminal(s)) return settle({ final: s })
      if (s.state !== 'paused' || cause !== null) return
      cause = 'pause'
      reporter.record(
        'notice',
        { message: 'stopping: a paused run cannot be resumed from the command line' },
        'stopping: the command line cannot resume a paused run; what can be saved is saved'
      )
      stop()
    }),
    studio.on('engine:status', (s) => {
      if (s.state === 'stopped' && !forcing) settle({ final: { state: 'failed', reason: s.crash?.message ?? 'the engine stopped' } })
    })
  ]

  const interrupt = (): void => {
    // The run ended (saved) just before: nothing left to stop or to lose.
    if (over) return
    const now = (options.now ?? Date.now)()
    if (lastInterrupt > 0 && now - lastInterrupt < relayMs) return
    if (cause === null) cause = 'interrupt'
    if (lastInterrupt > 0 && now - lastInterrupt < forceWindowMs) {
      void quitNow()
      return
    }
    const again = lastInterrupt === 0 ? '' : 'still saving; '
    lastInterrupt = now
    if (!started) {
      reporter.record('notice', { message: 'interrupted' }, 'interrupted before training started: nothing to save')
      return settle({ forced: true })
    }
    reporter.record(
      'notice',
      { message: 'stopping' },
      `${again}stopping after the current step and saving a checkpoint… (Ctrl+C again within ${forceWindowMs / 1000} s quits without saving)`
    )
    stop()
  }

  const quitNow = async (): Promise<void> => {
    if (forcing) return
    forcing = true
    await options.killEngine()
    const kept = await savedCheckpoint(project)
    const lost = lastStep !== null && lastStep > (kept?.step ?? 0) ? `steps ${(kept?.step ?? 0) + 1}–${lastStep}` : 'the steps since it'
    reporter.record(
      'notice',
      { message: 'quit without saving', checkpoint: kept, lastStep },
      kept
        ? `quit without saving: ${lost} are lost; the project keeps its checkpoint at step ${kept.step} (${kept.path})`
        : `quit without saving: no checkpoint of this run was saved${lastStep !== null ? ` (${lastStep} steps lost)` : ''}`
    )
    settle({ forced: true })
  }

  for (const signal of endSignals) signals.on(signal, interrupt)
  try {
    await Promise.race([options.start().then(() => (started = true)), ended])
    const outcome = await ended
    if ('forced' in outcome) return exitCodes.interrupted
    return await report(outcome.final)
  } finally {
    for (const signal of endSignals) signals.off(signal, interrupt)
    unsubscribe.forEach((off) => off())
  }

  async function report(final: TrainState): Promise<number> {
    if (final.state === 'finished') return exitCodes.finished
    if (final.state === 'failed') return exitCodes.failed
    const kept = await savedCheckpoint(project)
    // A reason on a stopped run says what could not be saved; the reporter has printed it.
    if (!final.reason) {
      reporter.record(
        'notice',
        { message: 'saved', step: kept?.step ?? null, path: kept?.path ?? null },
        kept ? `saved step ${kept.step} to ${kept.path}; run the same command to resume` : 'stopped before anything was saved'
      )
    }
    if (cause === 'pause') {
      reporter.record('notice', { message: 'paused' }, 'fix what the pause names, then run the same command to resume')
      return exitCodes.paused
    }
    return exitCodes.interrupted
  }
}

/** The project's newest checkpoint: its step and folder. */
async function savedCheckpoint(project: string): Promise<{ step: number; path: string } | null> {
  const list = await listCheckpoints(project).catch(() => [])
  const latest = list.find((c) => c.latest) ?? list[0]
  return latest ? { step: latest.step, path: path.join(projectPaths(project).checkpointsDir, latest.name) } : null
}
