/**
 * Writes the demo set as an ordinary image folder (what `vae-studio demo --out DIR` produces), so
 * it goes through the same import path as the user's own photos.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { writeFileAtomic, writeJsonAtomic } from '../fs/atomic-write'
import { encodePng } from '../image/png'
import { iterateDemoFaces } from './generate'
import { demoLabelsCsv, demoLabelsJson, type DemoLabel } from './labels'

/** PNG encodes in flight at once: the encoders run on libuv's pool, so a few overlap usefully. */
const inFlight = 4

/**
 * The PNGs are written plainly rather than atomically: they are regenerable from the seed and an
 * fsync per image would make a 2000-face folder take many seconds on a real disk. The labels are
 * written atomically and last, so a folder with labels files is a complete one.
 */
export async function writeDemoFolder(
  outDir: string,
  count: number,
  seed: number,
  onProgress?: (done: number, total: number) => void,
  size = 64
): Promise<void> {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`demo face count must be a positive whole number, got ${count}`)
  }
  await fs.mkdir(outDir, { recursive: true })
  const digits = Math.max(5, String(count - 1).length)
  const faces = iterateDemoFaces(count, seed, size)
  const labels: DemoLabel[] = []
  let done = 0
  // Workers share one generator, so faces keep their seeded order whichever worker takes them.
  const worker = async (): Promise<void> => {
    for (const { image, factors } of faces) {
      const file = `face_${String(labels.length).padStart(digits, '0')}.png`
      labels.push({ file, factors })
      const png = await encodePng({ width: size, height: size, channels: 3, pixels: image })
      await fs.writeFile(path.join(outDir, file), png)
      onProgress?.(++done, count)
    }
  }
  const results = await Promise.allSettled(Array.from({ length: inFlight }, worker))
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
  await writeFileAtomic(path.join(outDir, 'labels.csv'), demoLabelsCsv(labels))
  await writeJsonAtomic(path.join(outDir, 'labels.json'), demoLabelsJson(labels, seed, size))
}
