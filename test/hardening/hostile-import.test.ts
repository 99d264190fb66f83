/**
 * Hardening, part 1: a generated corpus of hostile files. Every case is imported on its own (so a
 * hang or crash names the case) and all together (so they meet in one walk and one decode
 * window). An import never throws for a bad file, never hangs, lists each bad file with its
 * reason, imports each good one and runs nothing it finds.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultImportOptions, type ImportOptions } from '../../src/shared/config'
import type { ImportResult } from '../../src/shared/contract'
import type { IndexEntry } from '../../src/main/engine/dataset/dataset-index'
import { importFolder } from '../../src/main/engine/dataset/import-folder'
import { openDataset } from '../../src/main/engine/dataset/open-dataset'
import { companionColour, writeCorpus, type WrittenCase, type WrittenCorpus } from './corpus/write-corpus'
import { bundleScript } from './testing/bundle-script'
import { withTimeout } from './testing/with-timeout'
import { messageOf } from '../../src/shared/errors'

const S = 32
const options: ImportOptions = {
  ...defaultImportOptions,
  size: S,
  fit: 'crop',
  channels: 3,
  faces: { ...defaultImportOptions.faces, find: false }
}
/** One small folder: seconds at worst on a loaded machine; a hang would take forever. */
const caseTimeoutMs = 20_000
const isRoot = process.getuid?.() === 0

let root: string
let written: WrittenCorpus

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-hostile-'))
  written = await writeCorpus(root)
}, 60_000)

afterAll(async () => {
  // Give locked entries their permissions back, or an unprivileged run could not delete them.
  for (const { dir } of written?.cases ?? []) {
    for (const name of await fs.readdir(dir)) await fs.chmod(path.join(dir, name), 0o755).catch(() => undefined)
  }
  // rm(1) walks by file descriptors; Node's fs.rm cannot reach entries beyond PATH_MAX.
  if (root) execFileSync('rm', ['-rf', root])
})

/** The index entries of one case folder (names made relative to it), its companion left out. */
function caseEntries(files: IndexEntry[], prefix: string): IndexEntry[] {
  return files
    .filter((f) => f.file.startsWith(`${prefix}/`) || prefix === '')
    .map((f) => ({ ...f, file: prefix === '' ? f.file : f.file.slice(prefix.length + 1) }))
    .filter((f) => f.file !== 'ok.png')
}

function centreOf(images: Uint8Array, row: number): number[] {
  const start = ((row * S + S / 2) * S + S / 2) * 3
  return [...images.subarray(start, start + 3)]
}

/** Asserts what one case's import did, from the index, the result's skip list and the pixels. */
function expectCase(item: WrittenCase, files: IndexEntry[], result: ImportResult, images: Uint8Array, prefix: string): void {
  const hostile = item.case
  const label = `${item.folder}`
  const entries = caseEntries(files, prefix)
  const companion = files.find((f) => f.file === (prefix ? `${prefix}/ok.png` : 'ok.png'))
  expect(companion?.status, `${label}: its companion image`).toBe('imported')
  expect(centreOf(images, companion!.index!), `${label}: companion pixels`).toEqual(companionColour(hostileIndex(item)))
  if (hostile.expect.status === 'absent') {
    expect(entries, label).toEqual([])
    return
  }
  expect(entries, `${label}: exactly one entry`).toHaveLength(1)
  const [entry] = entries
  const listedAs = hostile.listedAs ?? (typeof hostile.name === 'string' ? hostile.name : undefined)
  if (listedAs instanceof RegExp) expect(entry.file, label).toMatch(listedAs)
  else expect(entry.file, label).toBe(listedAs)
  expect(entry.status, `${label}: ${entry.reason ?? ''}`).toBe(hostile.expect.status)
  switch (hostile.expect.status) {
    case 'skipped': {
      expect(entry.reason, label).toMatch(hostile.expect.reason)
      const fullName = prefix ? `${prefix}/${entry.file}` : entry.file
      expect(result.skipped, label).toContainEqual({ file: fullName, reason: entry.reason })
      break
    }
    case 'duplicate':
      expect(entry.index, label).toBe(companion!.index)
      break
    case 'imported': {
      const { centre, tolerance = 8 } = hostile.expect
      if (centre) {
        const actual = centreOf(images, entry.index!)
        actual.forEach((v, i) => expect(Math.abs(v - centre[i]), `${label}: centre ${actual} vs ${centre}`).toBeLessThanOrEqual(tolerance))
      }
      break
    }
  }
}

function hostileIndex(item: WrittenCase): number {
  return written.cases.indexOf(item)
}

async function importCase(item: WrittenCase, out: string): Promise<void> {
  const result = await withTimeout(importFolder(item.dir, out, options), caseTimeoutMs, `importing ${item.folder}`)
  const { files, images } = await openDataset(out)
  expectCase(item, files, result, images, '')
}

describe('hostile-file corpus', () => {
  it('has at least 30 cases, all generated', () => {
    expect(written.cases.length).toBeGreaterThanOrEqual(30)
    console.info(
      `hostile corpus: ${written.cases.length} cases (${written.cases.filter((c) => c.case.unprivileged).length} need an unprivileged reader)`
    )
  })

  it('imports each case folder on its own: bad files listed with their reason, good ones imported', async () => {
    const failures: string[] = []
    for (const item of written.cases.filter((c) => !c.case.unprivileged)) {
      try {
        await importCase(item, path.join(root, 'out', item.folder))
      } catch (err) {
        failures.push(`${item.folder}: ${messageOf(err)}`)
      }
    }
    expect(failures).toEqual([])
    expect(existsSync(written.marker), 'a script from the corpus was executed').toBe(false)
  }, 180_000)

  it('imports the whole corpus in one walk, with the same outcome per case', async () => {
    const out = path.join(root, 'out-all')
    const result = await withTimeout(importFolder(written.corpus, out, options), 60_000, 'importing the whole corpus')
    const { files, images } = await openDataset(out)
    for (const item of written.cases.filter((c) => !c.case.unprivileged)) expectCase(item, files, result, images, item.folder)
    // Nothing but the cases' own entries: no link was followed out of the folder.
    const folders = new Set(written.cases.map((c) => c.folder))
    expect(files.filter((f) => !folders.has(f.file.split('/')[0]))).toEqual([])
    expect(files.some((f) => f.file.includes('inner.png') || f.file.includes('outside-dir/'))).toBe(false)
    expect(existsSync(written.marker)).toBe(false)
  }, 120_000)

  it('refuses a folder with no images with one clear error, writing nothing', async () => {
    const empty = path.join(root, 'empty')
    await fs.mkdir(empty)
    const out = path.join(root, 'out-empty')
    await expect(withTimeout(importFolder(empty, out, options), caseTimeoutMs, 'empty folder')).rejects.toMatchObject({
      code: 'bad-data',
      message: `no images found in ${empty}: the folder holds no files`
    })
    // Only bad files: the message counts them by kind.
    const bad = path.join(root, 'only-bad')
    await fs.mkdir(bad)
    await fs.writeFile(path.join(bad, 'a.png'), 'text')
    await fs.writeFile(path.join(bad, 'b.jpg'), '')
    await fs.symlink('/etc/passwd', path.join(bad, 'c.png'))
    await expect(importFolder(bad, path.join(root, 'out-bad'), options)).rejects.toThrow(
      `no images found in ${bad}: 3 files skipped (1 not an image, 1 empty file, 1 symlink outside the folder)`
    )
    expect(await fs.readdir(out)).toEqual([])
  })

  describe('permissions', () => {
    const locked = () => written.cases.filter((c) => c.case.unprivileged)

    it.skipIf(isRoot)('lists files and folders the user may not read (unprivileged run)', async () => {
      for (const item of locked()) await importCase(item, path.join(root, 'out', item.folder))
    })

    // Root reads through any permission bits, so the check runs in a child process as `nobody`.
    const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((file) => existsSync(file))
    const nobody = isRoot && setpriv ? userIds('nobody') : null
    if (isRoot && !nobody) console.info('permission cases skipped: running as root and no setpriv or no user "nobody" to drop to')
    it.skipIf(!nobody)(
      'lists files and folders the user may not read (as root: checked as "nobody" in a child process)',
      async (context) => {
        const bundle = await bundleScript(path.join(__dirname, 'testing', 'import-child.ts'))
        const asNobody = (jobs: unknown[]) =>
          spawnSync(
            setpriv!,
            [`--reuid=${nobody!.uid}`, `--regid=${nobody!.gid}`, '--clear-groups', process.execPath, bundle.file, JSON.stringify(jobs)],
            {
              encoding: 'utf8',
              timeout: 60_000
            }
          )
        try {
          // The checkout may sit where nobody cannot read it (a CI home folder): then say so and skip.
          const probe = asNobody([])
          if (probe.status !== 0) {
            console.info(`permission cases skipped: "nobody" cannot run the import here (${probe.stderr.trim().split('\n')[0]})`)
            return context.skip()
          }
          const outRoot = path.join(root, 'out-nobody')
          await fs.mkdir(outRoot, { mode: 0o777 })
          await fs.chmod(outRoot, 0o777)
          // mkdtemp makes the root private; nobody must be able to reach the corpus.
          await fs.chmod(root, 0o755)
          const jobs = locked().map((item) => ({ folder: item.dir, out: path.join(outRoot, item.folder) }))
          const child = asNobody(jobs)
          expect(child.status, child.stderr).toBe(0)
          const outcomes = JSON.parse(child.stdout) as Array<{ folder: string; result?: ImportResult; error?: string }>
          for (const [i, item] of locked().entries()) {
            expect(outcomes[i].error, item.folder).toBeUndefined()
            const { files, images } = await openDataset(jobs[i].out)
            expectCase(item, files, outcomes[i].result!, images, '')
          }
        } finally {
          await bundle.remove()
        }
      },
      120_000
    )
  })
})

function userIds(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim())
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}
