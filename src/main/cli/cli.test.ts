/**
 * The command line end to end: real processes (the CLI and its engine process), real files.
 * This is also where a SIGKILL mid-training is shown to lose at most the steps since the last
 * checkpoint.
 */
import { spawn, spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { faceSet } from '../../../test/support/datasets'

const bin = path.resolve(__dirname, '../../../bin/vae-studio.js')
const orl = faceSet('orl_faces')
let root: string

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000, cwd: root })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, records: parseJson(run.stdout) }
}

function parseJson(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), 'vae-cli-'))
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('vae-studio CLI', () => {
  it(
    'trains a new project with the calibrated Gaussian at β 16; --recon bce brings its own β, and a low β is named',
    { timeout: 300_000 },
    () => {
      const train = (name: string, ...extra: string[]) =>
        cli(
          'train',
          path.join(root, name),
          '--steps',
          '2',
          '--size',
          '32',
          '--latent',
          '4',
          '--batch',
          '8',
          '--quality',
          'off',
          '--json',
          ...extra
        )
      const firstStep = (records: Array<Record<string, unknown>>) => records.find((r) => r.type === 'progress' && r.task === 'train')
      const gaussian = train('gaussian.vaeproj')
      expect(gaussian.code, gaussian.stderr).toBe(0)
      expect(firstStep(gaussian.records)).toMatchObject({ beta: 16 })
      expect(gaussian.records.find((r) => r.message === 'beta too low for gaussian')).toBeUndefined()
      const bce = train('bce.vaeproj', '--recon', 'bce')
      expect(firstStep(bce.records)).toMatchObject({ beta: 1 })
      const low = train('low.vaeproj', '--beta', '2')
      expect(firstStep(low.records)).toMatchObject({ beta: 2 })
      expect(low.records.find((r) => r.message === 'beta too low for gaussian')).toMatchObject({ beta: 2, suggested: 16 })
    }
  )

  it(
    'sharpens with --sharpen from --sharpen-after, keeps it in the checkpoint, shows it in info, and turns it off with --sharpen 0',
    { timeout: 300_000 },
    async () => {
      const project = path.join(root, 'sharpen.vaeproj')
      const common = ['--size', '32', '--latent', '4', '--batch', '8', '--quality', 'off']
      const run = cli('train', project, '--steps', '4', '--sharpen', '0.5', '--sharpen-after', '1', ...common)
      expect(run.code, run.stderr).toBe(0)
      const latest = async () => {
        const { name } = JSON.parse(await fs.readFile(path.join(project, 'checkpoints', 'latest.json'), 'utf8')) as { name: string }
        return JSON.parse(await fs.readFile(path.join(project, 'checkpoints', name, 'manifest.json'), 'utf8')) as Record<string, unknown>
      }
      expect(await latest()).toMatchObject({ step: 4, sharpen: { chosen: 0.5, weight: 0.5, discriminatorSteps: 3 } })
      expect(cli('info', project).stdout).toMatch(/training .*, sharpen at weight 0\.5 from step 1,/)
      const off = cli('train', project, '--steps', '6', '--sharpen', '0', ...common)
      expect(off.code, off.stderr).toBe(0)
      expect((await latest()).sharpen).toBeUndefined()
      expect(cli('info', project).stdout).toMatch(/training .*, sharpen off,/)
      expect(cli('train', project, '--sharpen', 'lots').stderr).toMatch(/--sharpen/)
      // A run that ends before sharpening starts says so, and how long a run would show it.
      const early = cli('train', project, '--steps', '7', '--sharpen', '0.5', '--sharpen-after', '100', ...common)
      expect(early.code, early.stderr).toBe(0)
      expect(early.stderr + early.stdout).toMatch(
        /this run ends at step 7, before sharpening \(from step 100\) has had 500 steps to show \(give --steps 1100\)/
      )
    }
  )

  it('writes demo faces with their labels', async () => {
    const out = path.join(root, 'demo')
    const run = cli('demo', '--out', out, '--count', '12', '--seed', '4')
    expect(run.code).toBe(0)
    const files = await fs.readdir(out)
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(12)
    const labels = (await fs.readFile(path.join(out, 'labels.csv'), 'utf8')).trim().split('\n')
    expect(labels).toHaveLength(13)
    expect(labels[0]).toMatch(/glasses/)
  })

  it.skipIf(!orl)('imports, trains, survives SIGKILL by resuming, samples, reconstructs and reports', { timeout: 600_000 }, async () => {
    const project = path.join(root, 'orl.vaeproj')
    const imported = cli('import', orl!, '--out', project, '--size', '32', '--gray', '--faces', 'off', '--json')
    expect(imported.code, imported.stderr).toBe(0)
    const record = imported.records.find((r) => r.type === 'import')!
    expect(record.imported).toBe(400)

    // Train in the background and SIGKILL the whole process group after a checkpoint.
    const args = ['train', project, '--epochs', '2', '--batch', '36', '--latent', '8', '--checkpoint-every', '4', '--json']
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const killedAt = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const steps = parseJson(output.slice(0, output.lastIndexOf('\n') + 1))
          .filter((r) => r.type === 'progress' && r.task === 'train')
          .map((r) => r.step as number)
        const last = steps.at(-1) ?? 0
        if (last >= 6) {
          process.kill(-child.pid!, 'SIGKILL')
          resolve(last)
        }
      })
      child.on('exit', () => reject(new Error(`training ended before it could be killed:\n${output}`)))
    })
    expect(killedAt).toBeGreaterThanOrEqual(6)

    const resumed = cli(...args)
    expect(resumed.code, resumed.stderr).toBe(0)
    const note = resumed.records.find((r) => r.message === 'resuming')
    expect(note?.step).toBeGreaterThanOrEqual(4)
    const progress = resumed.records.filter((r) => r.type === 'progress' && r.task === 'train')
    expect(progress[0].step).toBe((note?.step as number) + 1)
    expect(resumed.records.filter((r) => r.type === 'epoch').length).toBeGreaterThan(0)
    expect(resumed.records.at(-1)).toMatchObject({ type: 'state', state: 'finished' })

    const grid = path.join(root, 'grid.png')
    expect(cli('sample', project, '--count', '9', '--seed', '7', '--out', grid).code).toBe(0)
    expect((await sharp(grid).metadata()).width).toBe(3 * 32 + 4 * 2)
    // Codes from the mixture fitted to the faces' codes by default; --from prior draws N(0, I).
    const priorGrid = path.join(root, 'grid-prior.png')
    expect(cli('sample', project, '--count', '9', '--seed', '7', '--from', 'prior', '--out', priorGrid).code).toBe(0)
    const [fitted, prior] = await Promise.all([grid, priorGrid].map((f) => sharp(f).raw().toBuffer()))
    expect(fitted.equals(prior)).toBe(false)
    const wrong = cli('sample', project, '--from', 'posterior', '--out', priorGrid)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--from must be one of fitted, prior, not "posterior"')
    const recon = path.join(root, 'recon.png')
    expect(cli('reconstruct', project, '--count', '4', '--out', recon).code).toBe(0)
    expect((await sharp(recon).metadata()).height).toBe(2 * 32 + 3 * 2)

    const info = cli('info', project)
    expect(info.code).toBe(0)
    expect(info.stdout).toMatch(/400 images, 32×32 grayscale/)
    expect(info.stdout).toMatch(/backend\s+wasm/)
    expect(info.stdout).toMatch(/held-out/)
  })

  it.skipIf(!orl)('runs the latent tools on the trained project', { timeout: 300_000 }, async () => {
    const project = path.join(root, 'orl.vaeproj')
    const strip = path.join(root, 'strip.png')
    const gif = path.join(root, 'strip.gif')
    const run = cli('interpolate', project, '--from', '1', '--to', '11', '--frames', '6', '--out', strip, '--gif', gif)
    expect(run.code, run.stderr).toBe(0)
    expect((await sharp(strip).metadata()).width).toBe(6 * 32 + 7 * 2)
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(10)

    const sum = cli('arithmetic', project, '--a', '1,2', '--b', '3', '--c', '4', '--out', path.join(root, 'sum.png'), '--save', 'mix')
    expect(sum.code, sum.stderr).toBe(0)
    expect(cli('arithmetic', project, '--recipe', 'mix', '--out', path.join(root, 'again.png')).code).toBe(0)
    const same = await Promise.all(['sum.png', 'again.png'].map((f) => sharp(path.join(root, f)).raw().toBuffer()))
    expect(same[0].equals(same[1])).toBe(true)

    expect(cli('attribute', project, '--name', 'first-person', '--with', '1,2,3,4', '--without', '41,42,43,44').code).toBe(0)
    const applied = cli(
      'attribute',
      project,
      '--name',
      'first-person',
      '--apply',
      '51',
      '--amounts',
      '-1,0,1',
      '--out',
      path.join(root, 'attr.png'),
      '--json'
    )
    expect(applied.code, applied.stderr).toBe(0)
    expect(applied.records.at(-1)).toMatchObject({ type: 'result', amounts: [-1, 0, 1] })

    const denoised = cli(
      'denoise',
      project,
      '--image',
      '6',
      '--noise',
      'gaussian',
      '--amount',
      '0.25',
      '--out',
      path.join(root, 'denoise.png'),
      '--json'
    )
    expect(denoised.code, denoised.stderr).toBe(0)
    const figures = denoised.records.at(-1)!
    expect(figures.psnrNoisy).toBeLessThan(figures.psnrDenoised as number)

    const exported = cli('export-model', project, '--out', path.join(root, 'tfjs-model'))
    expect(exported.code, exported.stderr).toBe(0)
    const decoder = JSON.parse(await fs.readFile(path.join(root, 'tfjs-model', 'decoder', 'model.json'), 'utf8'))
    expect(decoder.format).toBe('layers-model')

    expect(cli('arithmetic', project, '--a', 'x', '--b', '2', '--c', '3', '--out', 'y.png').code).toBe(2)
    const past = cli('interpolate', project, '--from', '1', '--to', '401', '--out', path.join(root, 'past.png'))
    expect(past.code).toBe(2)
    expect(past.stderr.trim()).toBe("vae-studio: --to 401: there is no image 401; this project's images are numbered from 1 to 400")
  })

  it('fails with one clear line and a non-zero code on bad input', { timeout: 300_000 }, async () => {
    const missing = cli('import', path.join(root, 'no-such-folder'), '--out', path.join(root, 'x.vaeproj'))
    expect(missing.code).toBe(2)
    expect(missing.stderr.trim()).toMatch(/^vae-studio: folder not found/)

    const empty = path.join(root, 'empty')
    await fs.mkdir(empty)
    const none = cli('import', empty, '--out', path.join(root, 'empty.vaeproj'))
    expect(none.code).toBe(1)
    expect(none.stderr.trim().split('\n')).toHaveLength(1)
    expect(none.stderr).toMatch(/no images/)

    const notProject = cli('info', empty)
    expect(notProject.code).toBe(1)
    expect(notProject.stderr).toMatch(/project/)

    const badValue = cli('train', path.join(root, 'orl.vaeproj'), '--epochs', 'many')
    expect(badValue.code).toBe(2)
    expect(badValue.stderr.trim()).toBe('vae-studio: --epochs expects a whole number, not "many"')

    const newer = path.join(root, 'newer.vaeproj')
    await fs.mkdir(newer)
    await fs.writeFile(path.join(newer, 'project.json'), JSON.stringify({ schemaVersion: 99, name: 'future' }))
    const future = cli('info', newer, '--json')
    expect(future.code).toBe(1)
    expect(future.records.at(-1)).toMatchObject({ type: 'error', code: 'newer-schema' })

    expect(cli('frobnicate').code).toBe(2)
  })
})
