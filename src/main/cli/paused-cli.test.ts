/**
 * A run that pauses by itself ends the command instead of waiting forever: the disk fills up (a
 * small tmpfs, where the machine lets a test mount one) under a real `vae-studio train`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/small-setup'
import { mountTmpfs, type Tmpfs } from '../../../test/hardening/testing/tmpfs'
import { listCheckpoints } from '../engine/project/checkpoint-list'
import { readProjectLock } from '../engine/project/project-lock'

const bin = path.resolve(__dirname, '../../../bin/vae-studio.js')
let root: string
let disk: Tmpfs | null = null
let noDisk = ''

beforeAll(async () => {
  root = await tempDir('cli-paused')
  if (process.getuid?.() === 0 && os.platform() === 'linux') {
    const mounted = await mountTmpfs(path.join(root, 'disk'), 16 * 1024 * 1024)
    if ('reason' in mounted) noDisk = mounted.reason
    else disk = mounted
  } else noDisk = 'mounting a tmpfs needs root on Linux'
  if (noDisk) console.info(`the full-disk CLI case is skipped: ${noDisk}`)
}, 60_000)

afterAll(async () => {
  disk?.unmount()
  if (root) await fs.rm(root, { recursive: true, force: true })
})

describe('vae-studio train on a disk that fills up', () => {
  it('retries, then stops with the reason and what was saved, and exits 75 instead of waiting', { timeout: 240_000 }, async ({ skip }) => {
    if (!disk) return skip(noDisk)
    const project = path.join(disk.dir, 'full.vaeproj')
    // 64 demo faces imported first: a busy machine then spends its time on the run, not on making 1,800 demo faces.
    const faces = path.join(root, 'faces')
    for (const step of [
      ['demo', '--out', faces, '--count', '64'],
      ['import', faces, '--out', project, '--size', '32', '--faces', 'off']
    ]) {
      const run = spawnSync(process.execPath, [bin, ...step], { cwd: root, encoding: 'utf8', timeout: 120_000 })
      expect(run.status, run.stderr).toBe(0)
    }
    const args = ['train', project, '--size', '32', '--latent', '8', '--batch', '16', '--epochs', '500', '--checkpoint-every', '5']
    const child = spawn(process.execPath, [bin, ...args, '--quality', 'off', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    let filling: Promise<void> | null = null
    const filled = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        // Once a checkpoint is saved (step 5), the disk fills up. Progress reaches the CLI at most
        // every 100 ms, so the first step seen past it may be any step after 5.
        if (!filling && pastStep(out, 5)) filling = disk!.fill().then(() => resolve())
      })
    )
    // A run that ends before the disk fills, or hangs, fails with its output instead of a bare timeout.
    const hung = setTimeout(() => child.kill('SIGKILL'), 200_000)
    await Promise.race([filled, exited])
    const code = await exited
    clearTimeout(hung)
    const records = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(code, out.slice(-2000)).toBe(75)
    const retries = records.filter((r) => r.type === 'notice' && /^could not save \(.*ENOSPC.*\); trying again in/.test(String(r.message)))
    expect(retries.length).toBeGreaterThanOrEqual(3)
    expect(records).toContainEqual(expect.objectContaining({ type: 'state', state: 'paused', reason: expect.stringMatching(/ENOSPC/) }))
    const kept = (await listCheckpoints(project)).find((c) => c.latest)
    expect(kept?.step).toBeGreaterThanOrEqual(5)
    expect(records).toContainEqual(
      expect.objectContaining({ type: 'state', state: 'stopped', reason: expect.stringMatching(/could not save the last steps/) })
    )
    expect(records.at(-1)).toMatchObject({ type: 'notice', message: 'paused' })
    expect(await readProjectLock(project)).toBeNull()
  })
})

/** Whether a progress record past `step` is among the complete JSON lines printed so far. */
function pastStep(out: string, step: number): boolean {
  return out
    .split('\n')
    .slice(0, -1)
    .some((line) => /^\{"type":"progress"/.test(line) && (JSON.parse(line) as { step: number }).step > step)
}
