/** Import throughput: a folder of 250×250 JPEGs (made here, with noise and shapes) to 64 px. */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import sharp from 'sharp'
import { importFolder } from '../engine/dataset/import-folder'
import { defaultImportOptions } from '../../shared/config'
import { Rng } from '../engine/random/rng'

export interface ImportFigures {
  importImgPerSec: number
  files: number
  peakRssMb: number
}

export async function benchImport(files: number): Promise<ImportFigures> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'vae-bench-import-'))
  try {
    const source = path.join(dir, 'photos')
    await fs.mkdir(source)
    const rng = new Rng(5)
    // A few distinct base images, varied per file so every file is unique (no duplicate shortcut).
    const base = new Uint8Array(250 * 250 * 3).map(() => rng.int(256))
    for (let i = 0; i < files; i++) {
      for (let k = 0; k < 64; k++) base[rng.int(base.length)] = rng.int(256)
      const jpeg = await sharp(base, { raw: { width: 250, height: 250, channels: 3 } }).jpeg({ quality: 85 }).toBuffer()
      await fs.writeFile(path.join(source, `photo_${String(i).padStart(5, '0')}.jpg`), jpeg)
    }
    let peakRss = process.memoryUsage().rss
    const start = performance.now()
    const result = await importFolder(source, path.join(dir, 'dataset'), { ...defaultImportOptions, size: 64 }, {
      onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss))
    })
    const seconds = (performance.now() - start) / 1000
    return { importImgPerSec: result.imported / seconds, files, peakRssMb: peakRss / 2 ** 20 }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}
