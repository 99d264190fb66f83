/**
 * How `vae-studio train` follows a run: interrupts, pauses, the end, and the exit code. The engine
 * is a fake here; interrupt-cli.test.ts does the same with real processes and real signals.
 */
import { EventEmitter } from 'node:events'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fakeStudio, settle } from '../../../test/support/fake-studio'
import { fakeCheckpoint } from '../../../test/support/project/fake-checkpoint'
import { useTempDirs } from '../../../test/support/project/temp-dir'
import { writeCheckpoint } from '../engine/project/checkpoint-writer'
import { exitCodes, followRun } from './follow-run'
import type { Reporter } from './reporter'

const tempDir = useTempDirs()

function recorder() {
  const lines: string[] = []
  const reporter = {
    state: (s: { state: string; reason?: string }) => lines.push(`state ${s.state}${s.reason ? `: ${s.reason}` : ''}`),
    record: (_type: string, _data: unknown, text: string) => lines.push(text)
  } as unknown as Reporter
  return { lines, reporter }
}

/** A project folder whose newest checkpoint is at `step`. */
async function projectWithCheckpoint(step: number): Promise<string> {
  const dir = await tempDir()
  await writeCheckpoint(dir, fakeCheckpoint(step, 100))
  return dir
}

function setup(project: string, clock = { t: 0 }) {
  const studio = fakeStudio({ trainStop: () => ({ state: 'stopped' }) as never })
  const signals = new EventEmitter()
  const { lines, reporter } = recorder()
  let killed = 0
  const run = followRun({
    studio: studio.api,
    reporter,
    project,
    signals,
    now: () => clock.t,
    killEngine: async () => void killed++,
    start: async () => studio.emit('train:state', { state: 'running' })
  })
  return { studio, signals, lines, run, clock, killed: () => killed }
}

describe('followRun', () => {
  it('on Ctrl+C stops after the current step, says where it saved, and exits 130', async () => {
    const project = await projectWithCheckpoint(7)
    const { studio, signals, lines, run, killed } = setup(project)
    await settle()
    studio.emit('train:progress', { step: 7 } as never)
    signals.emit('SIGINT')
    await settle()
    expect(studio.callsOf('trainStop')).toHaveLength(1)
    studio.emit('train:state', { state: 'stopped' })
    expect(await run).toBe(exitCodes.interrupted)
    expect(killed()).toBe(0)
    expect(lines).toContain(`saved step 7 to ${path.join(project, 'checkpoints', 'step-000000007')}; run the same command to resume`)
  })

  it('on a second Ctrl+C within moments ends the engine at once and says which steps were not saved', async () => {
    const project = await projectWithCheckpoint(4)
    const { studio, signals, lines, run, clock, killed } = setup(project)
    await settle()
    studio.emit('train:progress', { step: 9 } as never)
    clock.t = 10_000
    signals.emit('SIGINT')
    clock.t += 1200
    signals.emit('SIGINT')
    expect(await run).toBe(exitCodes.interrupted)
    expect(killed()).toBe(1)
    expect(lines.at(-1)).toBe(
      `quit without saving: steps 5–9 are lost; the project keeps its checkpoint at step 4 (${path.join(project, 'checkpoints', 'step-000000004')})`
    )
  })

  it('takes the same Ctrl+C relayed a moment later (npx, npm run, timeout pass it on) for one, and saves', async () => {
    const project = await projectWithCheckpoint(7)
    const { studio, signals, run, clock, killed } = setup(project)
    await settle()
    clock.t = 10_000
    signals.emit('SIGINT')
    clock.t += 20
    signals.emit('SIGINT')
    await settle()
    studio.emit('train:state', { state: 'stopped' })
    expect(await run).toBe(exitCodes.interrupted)
    expect(killed()).toBe(0)
    expect(studio.callsOf('trainStop')).toHaveLength(1)
  })

  it('ends a paused run instead of waiting: stops it, says why and what was saved, and exits 75', async () => {
    const project = await projectWithCheckpoint(12)
    const { studio, lines, run } = setup(project)
    await settle()
    studio.emit('train:state', { state: 'paused', reason: 'could not save to the project folder (ENOSPC); free some space' })
    await settle()
    expect(studio.callsOf('trainStop')).toHaveLength(1)
    studio.emit('train:state', { state: 'stopped' })
    expect(await run).toBe(exitCodes.paused)
    expect(lines).toContain('state paused: could not save to the project folder (ENOSPC); free some space')
    expect(lines.at(-1)).toBe('fix what the pause names, then run the same command to resume')
  })

  it('exits 0 when finished, 1 when the run failed or the engine stopped, and ignores a Ctrl+C after the end', async () => {
    const project = await tempDir()
    let s = setup(project)
    await settle()
    s.studio.emit('train:state', { state: 'finished' })
    s.signals.emit('SIGINT')
    expect(await s.run).toBe(exitCodes.finished)
    expect(s.killed()).toBe(0)
    expect(s.lines.some((l) => l.startsWith('quit'))).toBe(false)

    s = setup(project)
    await settle()
    s.studio.emit('engine:status', { state: 'stopped', crash: { message: 'the engine process was killed (SIGKILL)' } })
    expect(await s.run).toBe(exitCodes.failed)
  })
})
