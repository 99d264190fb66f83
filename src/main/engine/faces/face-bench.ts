/**
 * Face import speed: photos per second through `findFaces` (detection, 68 landmarks, age,
 * gender, expressions and a 64-px aligned crop per face) with one worker and with all of them,
 * on generated 250–1000 px JPEG photos holding 1–3 grey ORL faces each (random place, size and
 * angle up to ±25°) in noisy or room-like scenes. Optionally a long run for peak RSS.
 * A figure, never a pass/fail; `npm run bench` prints it as `faceImportImgPerSec`.
 */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import sharp from 'sharp'
import { createFaceFinder } from './face-finder'
import type { FaceOptions } from './face-options'
import type { GreyFace } from './synthetic/paste-face'
import { randomPhotos } from './synthetic/random-photos'

export interface FaceBenchOptions {
  /** A folder of grey face crops (PNG), e.g. `../shared/datasets/orl_faces`. */
  facesFolder: string
  /** Distinct photos generated and timed per pool size. */
  photos?: number
  /** Pool sizes to time; the last is reported as `faceImportImgPerSec`. Default [1, cores]. */
  workers?: number[]
  minSide?: number
  maxSide?: number
  options?: Partial<FaceOptions>
  /** When > 0, also pushes this many photos (the generated ones, cycled) through the largest pool, for peak RSS. */
  rssPhotos?: number
  onProgress?: (text: string) => void
}

export interface FaceBenchFigures {
  /** Photos/s with the largest pool (all cores by default). */
  faceImportImgPerSec: number
  faceImportImgPerSecOneWorker: number | null
  /** Photos/s per pool size tried. */
  byWorkers: Record<string, number>
  /** CPU ms per photo per pool size tried. */
  cpuMsByWorkers: Record<string, number>
  /**
   * CPU time of this process (all threads) per photo, in ms, with the largest pool. On a shared,
   * busy machine wall-clock photos/s mostly measures the neighbours; this does not.
   */
  cpuMsPerPhoto: number
  /** What the CPU time allows on this many idle cores: cores × 1000 / cpuMsPerPhoto. */
  idleMachineImgPerSec: number
  photos: number
  facesPerPhoto: number
  meanPhotoKb: number
  /** Peak resident set size of this process (workers included) during the timed runs. */
  peakRssMb: number
  /** Present when `rssPhotos` > 0. */
  longRun?: { photos: number; seconds: number; imgPerSec: number; peakRssMb: number }
}

export async function benchFaceImport(options: FaceBenchOptions): Promise<FaceBenchFigures> {
  const { photos: count = 120, minSide = 250, maxSide = 1000, rssPhotos = 0, onProgress = () => {} } = options
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
  const poolSizes = options.workers ?? [...new Set([1, cores])]
  const faces = await loadFaces(options.facesFolder, 60)
  onProgress(`generating ${count} photos (${minSide}–${maxSide} px, 1–3 faces)…`)
  const photos = await randomPhotos(faces, { count, seed: 7, minSide, maxSide, minFaces: 1, maxFaces: 3, minFace: 0.15, maxFace: 0.45 })
  const meanPhotoKb = photos.reduce((sum, p) => sum + p.bytes.length, 0) / photos.length / 1024
  const findOptions: Partial<FaceOptions> = { size: 64, ...options.options }
  let peakRss = process.memoryUsage().rss
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50)
  const byWorkers: Record<string, number> = {}
  const cpuMsByWorkers: Record<string, number> = {}
  let facesFound = 0
  let cpuMsPerPhoto = 0
  let longRun: FaceBenchFigures['longRun']
  try {
    for (const workers of poolSizes) {
      const finder = createFaceFinder({ workers })
      try {
        await finder.ready()
        // Warm-up: the first photo through each net compiles and allocates.
        await Promise.all(photos.slice(0, 2 * workers).map((p) => finder.findFaces(p.bytes, findOptions)))
        onProgress(`timing ${photos.length} photos with ${workers} face worker${workers === 1 ? '' : 's'}…`)
        const start = performance.now()
        const cpuStart = process.cpuUsage()
        const results = await Promise.all(photos.map((p) => finder.findFaces(p.bytes, findOptions)))
        byWorkers[workers] = photos.length / ((performance.now() - start) / 1000)
        const cpu = process.cpuUsage(cpuStart)
        cpuMsPerPhoto = (cpu.user + cpu.system) / 1000 / photos.length
        cpuMsByWorkers[workers] = cpuMsPerPhoto
        facesFound = results.reduce((sum, r) => sum + r.faces.length, 0)
        if (rssPhotos > 0 && workers === poolSizes[poolSizes.length - 1])
          longRun = await runLong(
            finder,
            photos.map((p) => p.bytes),
            rssPhotos,
            findOptions,
            onProgress
          )
      } finally {
        await finder.close()
      }
    }
  } finally {
    clearInterval(sampler)
  }
  const largest = poolSizes[poolSizes.length - 1]
  return {
    faceImportImgPerSec: byWorkers[largest],
    faceImportImgPerSecOneWorker: byWorkers[1] ?? null,
    byWorkers,
    cpuMsByWorkers,
    cpuMsPerPhoto,
    idleMachineImgPerSec: (Math.min(largest, cores) * 1000) / cpuMsPerPhoto,
    photos: photos.length,
    facesPerPhoto: facesFound / photos.length,
    meanPhotoKb,
    peakRssMb: Math.max(peakRss, longRun ? longRun.peakRssMb * 2 ** 20 : 0) / 2 ** 20,
    longRun
  }
}

/** Streams `total` photos through the finder, a few in flight at a time as an import would. */
async function runLong(
  finder: ReturnType<typeof createFaceFinder>,
  photos: Uint8Array[],
  total: number,
  options: Partial<FaceOptions>,
  onProgress: (text: string) => void
): Promise<NonNullable<FaceBenchFigures['longRun']>> {
  onProgress(`long run: ${total} photos for peak RSS…`)
  let peak = process.memoryUsage().rss
  const inFlight = new Set<Promise<unknown>>()
  const start = performance.now()
  for (let i = 0; i < total; i++) {
    const job = finder.findFaces(photos[i % photos.length], options).then(() => {
      inFlight.delete(job)
      peak = Math.max(peak, process.memoryUsage().rss)
    })
    inFlight.add(job)
    if (inFlight.size >= finder.workers * 4) await Promise.race(inFlight)
    if (i > 0 && i % 500 === 0) onProgress(`  ${i} photos, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`)
  }
  await Promise.all(inFlight)
  const seconds = (performance.now() - start) / 1000
  return { photos: total, seconds, imgPerSec: total / seconds, peakRssMb: peak / 2 ** 20 }
}

/** The first `count` PNG/JPEG files of the folder, as grey crops. */
async function loadFaces(folder: string, count: number): Promise<GreyFace[]> {
  const names = (await fs.readdir(folder)).filter((name) => /\.(png|jpe?g|pgm)$/i.test(name)).sort()
  if (names.length === 0) throw new Error(`no face images in ${folder}`)
  const step = Math.max(1, Math.floor(names.length / count))
  const picked = names.filter((_, i) => i % step === 0).slice(0, count)
  return Promise.all(
    picked.map(async (name) => {
      const { data, info } = await sharp(path.join(folder, name)).greyscale().raw().toBuffer({ resolveWithObject: true })
      return { width: info.width, height: info.height, pixels: new Uint8Array(data) }
    })
  )
}
