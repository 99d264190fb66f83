/**
 * Import throughput: a folder of 250×250 JPEGs to 64 px. The files look like the face photos
 * users import (LFW's are 250×250 JPEGs of 10–20 kB): demo faces drawn at 250 px with sensor-like
 * noise, quality 90, every file different so the duplicate shortcut never applies. Pure noise
 * would be a worst case no photo reaches (about 47 kB per file, several times the entropy).
 */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import sharp from 'sharp'
import { importFolder } from '../engine/dataset/import-folder'
import { defaultImportOptions } from '../../shared/config'
import { sampleDemoFactors } from '../engine/demo/factors'
import { renderDemoFace } from '../engine/demo/render-face'
import { Rng } from '../engine/random/rng'

export interface ImportFigures {
  importImgPerSec: number
  files: number
  meanFileKb: number
  peakRssMb: number
}

const side = 250
/** Distinct faces drawn; files beyond this reuse one with fresh noise (drawing is the slow part). */
const distinctFaces = 32

export async function benchImport(files: number): Promise<ImportFigures> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'vae-bench-import-'))
  try {
    const source = path.join(dir, 'photos')
    await fs.mkdir(source)
    const bytes = await writePhotos(source, files)
    let peakRss = process.memoryUsage().rss
    const start = performance.now()
    const result = await importFolder(
      source,
      path.join(dir, 'dataset'),
      { ...defaultImportOptions, size: 64, faces: { ...defaultImportOptions.faces, find: false } },
      {
        onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss))
      }
    )
    const seconds = (performance.now() - start) / 1000
    return { importImgPerSec: result.imported / seconds, files, meanFileKb: bytes / files / 1024, peakRssMb: peakRss / 2 ** 20 }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

/** Writes the photos; returns their total size in bytes. */
async function writePhotos(folder: string, files: number): Promise<number> {
  const rng = new Rng(5)
  const faces = Array.from({ length: Math.min(files, distinctFaces) }, () => renderDemoFace(sampleDemoFactors(rng), side))
  const photo = new Uint8Array(side * side * 3)
  let bytes = 0
  for (let i = 0; i < files; i++) {
    const face = faces[i % faces.length]
    for (let k = 0; k < photo.length; k++) photo[k] = Math.min(255, Math.max(0, face[k] + Math.round(rng.normal() * 3)))
    const jpeg = await sharp(photo, { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer()
    await fs.writeFile(path.join(folder, `photo_${String(i).padStart(5, '0')}.jpg`), jpeg)
    bytes += jpeg.length
  }
  return bytes
}
