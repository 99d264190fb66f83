/**
 * Hardening, part 1b: an import's memory does not grow with the folder. 2000 files of about
 * 200 kB each (a small JPEG followed by padding, which decoders ignore) are 400 MB of input, and
 * at 128 px the imported rows are another 98 MB; an import that held either would blow the bound.
 */
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultImportOptions } from '../../src/shared/config'
import { importFolder } from '../../src/main/engine/dataset/import-folder'
import { openDataset } from '../../src/main/engine/dataset/open-dataset'
import { drawImage, seededBytes } from './corpus/crafted-bytes'
import { withTimeout } from './testing/with-timeout'

const fileCount = 2000
const paddingBytes = 200 * 1024
const mb = 1024 * 1024
/** Generous: what the import really needs is a few images in flight plus libvips' caches. */
const maxGrowthMb = 200

let root: string
let folder: string

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-import-memory-'))
  folder = path.join(root, 'photos')
  await fs.mkdir(folder)
  const padding = seededBytes(paddingBytes, 21)
  for (let i = 0; i < fileCount; i++) {
    // A distinct picture each: same bytes would be skipped as duplicates without a decode.
    const jpeg = await drawImage(24, 24, 3, (x, y) => [(i * 7 + x * 9) & 255, (i >> 3) & 255, (y * 9 + i) & 255])
      .jpeg({ quality: 90 })
      .toBuffer()
    await fs.writeFile(path.join(folder, `img-${String(i).padStart(4, '0')}.jpg`), Buffer.concat([jpeg, padding]))
  }
}, 120_000)

afterAll(() => {
  if (root) execFileSync('rm', ['-rf', root])
})

describe('import memory', () => {
  it(`imports ${fileCount} files (${Math.round((fileCount * paddingBytes) / mb)} MB) with bounded memory`, async () => {
    global.gc?.()
    const start = process.memoryUsage().rss
    let peak = start
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 5)
    const out = path.join(root, 'dataset')
    try {
      const result = await withTimeout(
        importFolder(
          folder,
          out,
          { ...defaultImportOptions, size: 128, fit: 'crop', channels: 3, faces: { ...defaultImportOptions.faces, find: false } },
          { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) }
        ),
        150_000,
        `importing ${fileCount} files`
      )
      expect(result).toMatchObject({ imported: fileCount, skipped: [], duplicates: 0 })
    } finally {
      clearInterval(sampler)
    }
    const growthMb = (peak - start) / mb
    console.info(
      `import memory: ${fileCount} files, RSS ${Math.round(start / mb)} MB → peak ${Math.round(peak / mb)} MB (+${growthMb.toFixed(0)} MB)`
    )
    expect(growthMb).toBeLessThan(maxGrowthMb)
    const { count, images } = await openDataset(out)
    expect(count).toBe(fileCount)
    expect(images.length).toBe(fileCount * 128 * 128 * 3)
  }, 180_000)
})
