/**
 * The metric on real faces (skipped where the face sets are absent): two halves of Olivetti must
 * be far closer to each other than Olivetti is to noise images or to the synthetic demo faces,
 * and a face must be closer in identity to another photo of the same person than of someone else.
 */
import { promises as fs } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { faceSet } from '../../../../test/support/datasets'
import { defaultFaceImport } from '../../../shared/config'
import type { RawImage } from '../../../shared/images'
import { importFolder } from '../dataset/import-folder'
import { openDataset } from '../dataset/open-dataset'
import { generateDemoFaces } from '../demo/generate'
import { Rng } from '../random/rng'
import { tempDir } from '../../../../test/support/small-setup'
import { datasetImages } from './reference-faces'
import { FaceEmbedder } from './face-embedder'
import { frechetDistance } from './frechet-distance'
import { cosineSimilarity } from './identity-similarity'
import { kernelDistance } from './kernel-distance'

const olivetti = faceSet('olivetti_faces_64')
let dir: string
let embedder: FaceEmbedder
let faces: Float32Array[]

beforeAll(async () => {
  if (!olivetti) return
  dir = await tempDir('quality-olivetti')
  // Already aligned crops: no face finding, as the quality bench imports them.
  await importFolder(olivetti, dir, {
    size: 64,
    fit: 'crop',
    channels: 1,
    maxPixels: 100_000_000,
    faces: { ...defaultFaceImport, find: false }
  })
  const data = await openDataset(dir)
  embedder = await FaceEmbedder.start({ workers: 2 })
  faces = await embedder.embed(
    datasetImages(
      data,
      Array.from({ length: data.count }, (_, i) => i)
    )
  )
}, 300_000)
afterAll(async () => {
  await embedder?.dispose()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

function demoFaces(count: number): RawImage[] {
  const { images } = generateDemoFaces(count, 5, 64)
  const len = 64 * 64 * 3
  return Array.from({ length: count }, (_, i) => ({ width: 64, height: 64, channels: 3, pixels: images.slice(i * len, (i + 1) * len) }))
}

function noiseImages(count: number): RawImage[] {
  const rng = new Rng(4)
  return Array.from({ length: count }, () => ({
    width: 64,
    height: 64,
    channels: 1,
    pixels: Uint8Array.from({ length: 64 * 64 }, () => rng.int(256))
  }))
}

describe.skipIf(!olivetti)('face metric on real faces (Olivetti, 400 photos of 40 people)', () => {
  it('puts two halves of Olivetti much closer than Olivetti and noise or synthetic faces', { timeout: 300_000 }, async () => {
    expect(faces).toHaveLength(400)
    // Olivetti files are subject after subject, 10 photos each: even/odd rows split every person in two.
    const even = faces.filter((_, i) => i % 2 === 0)
    const odd = faces.filter((_, i) => i % 2 === 1)
    const halves = frechetDistance(even, odd)
    const noise = await embedder.embed(noiseImages(100))
    const demo = await embedder.embed(demoFaces(100))
    const vsNoise = frechetDistance(faces, noise)
    const vsDemo = frechetDistance(faces, demo)
    const kidHalves = kernelDistance(even, odd).mean
    const kidDemo = kernelDistance(faces, demo, { subsets: 20, seed: 1 }).mean
    console.info(
      `Olivetti halves FD ${halves.toFixed(4)} (KID ${kidHalves.toFixed(5)}); vs noise FD ${vsNoise.toFixed(3)}; vs demo faces FD ${vsDemo.toFixed(3)} (KID ${kidDemo.toFixed(4)}); ` +
        `${embedder.timing.msPerFace.toFixed(1)} ms/face`
    )
    // Reference from ENVIRONMENT.md: 0.014 for two halves of Olivetti.
    expect(halves).toBeGreaterThan(0.005)
    expect(halves).toBeLessThan(0.03)
    expect(vsNoise).toBeGreaterThan(10 * halves)
    expect(vsDemo).toBeGreaterThan(10 * halves)
    expect(kidDemo).toBeGreaterThan(20 * Math.abs(kidHalves))
  })

  it('finds another photo of the same person more similar than a photo of someone else', () => {
    let same = 0
    let other = 0
    let pairs = 0
    for (let person = 0; person < 40; person++) {
      const a = faces[person * 10]
      same += cosineSimilarity(a, faces[person * 10 + 1])
      other += cosineSimilarity(a, faces[((person + 1) % 40) * 10 + 1])
      pairs++
    }
    console.info(`identity: same person ${(same / pairs).toFixed(3)}, different people ${(other / pairs).toFixed(3)}`)
    expect(same / pairs).toBeGreaterThan(other / pairs + 0.02)
  })
})
