/**
 * The real thing: a child process writes checkpoints, history and project.json in a loop and is
 * SIGKILLed at random moments; after every kill the project must open, resume from a checkpoint
 * bit-identical to one that was written (the last one reported durable, or the one in flight),
 * and its history must read with at most the torn last line lost.
 */
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkpointsToKeep, defaultKeepRule } from './checkpoint-keep'
import { stepOf } from './checkpoint-names'
import { readLatestCheckpoint } from './checkpoint-reader'
import { readHistory } from './history-log'
import { createProject, openProject } from './project-file'
import { projectPaths } from './project-paths'
import { fakeCheckpoint } from '../../../../test/support/project/fake-checkpoint'
import { expectSameBits } from '../../../../test/support/project/same-bits'
import { useTempDirs } from '../../../../test/support/project/temp-dir'
import { crashTestKeep } from '../../../../test/support/project/write-loop-keep'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../../../..')
const script = path.join(repoRoot, 'test', 'support', 'project', 'write-loop.ts')
const kills = 22
const floatsPerCheckpoint = 20_000
const tempDir = useTempDirs()
let bundleDir = ''
let bundle = ''

/**
 * The child is bundled once into plain JavaScript: `node --import tsx` spends about a second
 * starting each process, which over 22 restarts would blow the test's time budget.
 */
beforeAll(async () => {
  bundleDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vaeproj-write-loop-'))
  await build({
    configFile: false,
    logLevel: 'warn',
    root: repoRoot,
    ssr: { noExternal: true },
    build: {
      ssr: script,
      outDir: bundleDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      rolldownOptions: { output: { format: 'es', entryFileNames: 'write-loop.mjs' } }
    }
  })
  bundle = path.join(bundleDir, 'write-loop.mjs')
})

afterAll(async () => {
  if (bundleDir) await fs.rm(bundleDir, { recursive: true, force: true })
})

interface Run {
  /** Step the child resumed from. */
  resumedAt: number
  /** Last step whose checkpoint the child reported durable, if any. */
  lastSaved: number | null
}

/** Starts the write loop, kills it `delayMs` after it has resumed, and reports what it printed. */
function runAndKill(dir: string, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir, String(floatsPerCheckpoint)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let killTimer: NodeJS.Timeout | undefined
    const startTimeout = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (killTimer === undefined && /^ready \d+$/m.test(stdout)) {
        clearTimeout(startTimeout)
        killTimer = setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(startTimeout)
      clearTimeout(killTimer)
      const ready = /^ready (\d+)$/m.exec(stdout)
      if (signal !== 'SIGKILL' || !ready) {
        reject(new Error(`write loop ended by itself (code ${code}, signal ${signal}):\n${stderr}`))
        return
      }
      const saved = [...stdout.matchAll(/^saved (\d+)$/gm)].map((match) => Number(match[1]))
      resolve({ resumedAt: Number(ready[1]), lastSaved: saved.length ? saved[saved.length - 1] : null })
    })
  })
}

describe('crash safety', () => {
  it(`survives ${kills} SIGKILLs at random moments`, async () => {
    const dir = path.join(await tempDir(), 'Crash.vaeproj')
    await createProject(dir)
    let debris = 0
    let torn = 0
    for (let i = 0; i < kills; i++) {
      const run = await runAndKill(dir, Math.random() * 200)
      const durable = run.lastSaved ?? run.resumedAt

      const project = await openProject(dir)
      expect(project.name).toBe('Crash')

      const latest = await readLatestCheckpoint(dir)
      expect(latest.problems).toEqual([])
      expect(latest.fellBackFrom).toBeUndefined()
      if (durable === 0 && latest.checkpoint === null) continue
      const step = latest.checkpoint?.step ?? -1
      expect([durable, durable + 1]).toContain(step)
      expectSameBits(latest.checkpoint, fakeCheckpoint(step, floatsPerCheckpoint))

      const history = await readHistory(dir)
      expect(history.dropped).toBeLessThanOrEqual(1)
      torn += history.dropped
      const steps = history.steps.map((row) => row.step)
      expect(steps).toEqual(steps.map((_, index) => index + 1))
      expect(steps.length).toBeGreaterThanOrEqual(step)

      // A completed write prunes to what the keep rule keeps; only the write in flight can add one more.
      const entries = await fs.readdir(projectPaths(dir).checkpointsDir)
      if (run.lastSaved !== null) {
        const steps = entries.flatMap((name) => stepOf(name) ?? [])
        const kept = checkpointsToKeep(
          steps.filter((s) => s !== Math.max(...steps)),
          { ...defaultKeepRule, newest: crashTestKeep }
        )
        expect(steps.length).toBeLessThanOrEqual(kept.size + 1)
      }
      if (entries.some((name) => name.startsWith('.'))) debris++
    }
    console.info(`crash test: ${kills} kills, ${debris} left checkpoint debris, ${torn} left a torn history line`)
  }, 90_000)
})
