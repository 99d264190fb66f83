/**
 * Generated faces as files, the last step of the studio's main use: N samples as separate PNGs,
 * each carrying its code and seed (so any one can be restored or made again), and a manifest.csv
 * saying how each was made. The folder appears whole or not at all: files are written into a
 * hidden folder beside it that is renamed into place at the end, and removed on cancel or error.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { StudioError } from '../../../shared/errors'
import type { RawImage } from '../../../shared/images'
import { writeFolderAtomic } from '../fs/atomic-write'
import { encodePngWithCode } from './png-code'

/** Decoded together: a grid's worth keeps both cores busy without holding many images. */
const batch = 64

export interface SampleFolderOptions {
  folder: string
  count: number
  /** Sample `i`'s code and the seed that makes it again. */
  codeOf(i: number): { code: number[]; seed: number }
  decode(codes: number[][]): Promise<RawImage[]>
  /** How the samples were made, for the manifest. */
  made: { sampling: string; temperature: number; checkpointStep: number }
  signal?: AbortSignal
  onProgress?(done: number, total: number): void
}

export async function writeSampleFolder(options: SampleFolderOptions): Promise<{ folder: string; count: number }> {
  const { folder, count, made, signal, onProgress } = options
  await makeRoomFor(folder)
  const digits = Math.max(5, String(count - 1).length)
  const name = (i: number) => `sample_${String(i).padStart(digits, '0')}.png`
  await writeFolderAtomic(folder, async (temp) => {
    const rows = ['file,seed,sampling,temperature,checkpoint_step']
    for (let start = 0; start < count; start += batch) {
      if (signal?.aborted) throw new StudioError('cancelled', 'export cancelled: nothing was written')
      const drawn = Array.from({ length: Math.min(batch, count - start) }, (_, k) => options.codeOf(start + k))
      const images = await options.decode(drawn.map((d) => d.code))
      for (const [k, image] of images.entries()) {
        const { code, seed } = drawn[k]
        await fs.writeFile(
          path.join(temp, name(start + k)),
          await encodePngWithCode(image, { code, seed, checkpointStep: made.checkpointStep })
        )
        rows.push(`${name(start + k)},${seed},${made.sampling},${made.temperature},${made.checkpointStep}`)
      }
      onProgress?.(start + images.length, count)
    }
    await fs.writeFile(path.join(temp, 'manifest.csv'), rows.join('\n') + '\n')
  })
  return { folder, count }
}

/** A new folder, or an empty one (removed first so the finished folder takes its place). */
async function makeRoomFor(folder: string): Promise<void> {
  let entries: string[]
  try {
    entries = await fs.readdir(folder)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new StudioError('invalid-request', `${folder} is a file: choose a new or empty folder`)
    throw err
  }
  if (entries.length > 0)
    throw new StudioError('invalid-request', `${folder} is not empty: choose a new or empty folder for the generated faces`)
  await fs.rmdir(folder)
}
