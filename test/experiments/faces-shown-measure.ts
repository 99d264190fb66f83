/**
 * Measures the "is it faces?" rule (src/main/engine/quality/faces-shown.ts) on the face sets and
 * on Fashion-MNIST: `npx tsx test/experiments/faces-shown-measure.ts [fashion-idx.gz]`.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { gunzipSync } from 'node:zlib'
import sharp from 'sharp'
import type { RawImage } from '../../src/shared/images'
import { createFaceFinder } from '../../src/main/engine/faces'
import { facesSampleSize, facesShown, sampleRows } from '../../src/main/engine/quality/faces-shown'
import { datasetsRoot } from '../support/datasets'
import { folderCrops } from '../support/face-check-images'

async function fashion(file: string, size: number): Promise<RawImage[]> {
  const bytes = gunzipSync(readFileSync(file))
  const count = bytes.readUInt32BE(4)
  const rows = sampleRows(count, facesSampleSize, 0)
  return Promise.all(
    rows.map(async (i) => {
      const raw = bytes.subarray(16 + i * 784, 16 + (i + 1) * 784)
      const data = await sharp(Buffer.from(raw), { raw: { width: 28, height: 28, channels: 1 } })
        .resize(size, size)
        .raw()
        .toBuffer()
      return { width: size, height: size, channels: 1 as const, pixels: new Uint8Array(data) }
    })
  )
}

async function main(): Promise<void> {
  const root = datasetsRoot()
  const finder = createFaceFinder({ workers: 1 })
  const sets: Array<[string, () => Promise<RawImage[]>]> = []
  for (const name of ['olivetti_faces_64', 'orl_faces', 'frey_faces'])
    if (root) sets.push([name, () => folderCrops(path.join(root, name), 64)])
  sets.push(['fashion-mnist', () => fashion(process.argv[2] ?? '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz', 64)])
  for (const [name, load] of sets) {
    const t0 = performance.now()
    const shown = await facesShown(await load(), { finder })
    console.log(JSON.stringify({ set: name, ...shown, seconds: +((performance.now() - t0) / 1000).toFixed(1) }))
  }
  await finder.close()
}

void main()
