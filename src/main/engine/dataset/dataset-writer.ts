/**
 * Writes a dataset cache one image at a time, for every source (a folder, the demo generator):
 * pixels stream into a hidden temp file beside `images.u8`, so neither the cache nor the decoded
 * images are ever held whole in memory, and nothing replaces the previous dataset until
 * `finish()` has fsynced the new pixels. `images.u8` is renamed into place first and `index.json`
 * last; the index carries the pixels' sha256, so even a crash between those two renames is
 * caught on open instead of pairing an index with the wrong pixels.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import type { ImageSize } from '../../../shared/config'
import type { ImportResult, SkippedFile } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { fsyncDir, writeJsonAtomic } from '../fs/atomic-write'
import { IMAGES_FILE, INDEX_FILE, INDEX_VERSION, type DatasetIndex, type FaceRecord, type IndexEntry } from './dataset-index'

export interface DatasetWriterOptions {
  size: ImageSize
  channels: 1 | 3
  fit: 'crop' | 'pad'
  /** Where the images come from: a folder path, or 'demo'. */
  source: string
  /**
   * With 3 channels: store one channel instead when every image turns out grey (R, G and B within
   * a level of each other everywhere), so a grey folder is not kept as three copies of itself.
   */
  narrowGrey?: boolean
}

export interface DatasetWriter {
  /**
   * Appends one S×S×C image. Returns its row in images.u8, or null when an image with the same
   * hash was already added (then it is recorded as a duplicate of that one). Without a hash the
   * pixels' own sha256 is used. Rows and index entries follow call order; the pixels are copied
   * by the time the promise settles, so await it before reusing the buffer.
   */
  add(pixels: Uint8Array, entry: { file: string; hash?: string; face?: FaceRecord }): Promise<number | null>
  /** Records a file (or one face of it) that was not imported, with the reason shown to the user. */
  skip(file: string, reason: string, hash?: string, face?: FaceRecord): void
  /** The file already added with this content hash, if any: lets callers skip decoding a copy. */
  duplicateOf(hash: string): string | undefined
  /** Records a copy of an image already added (one `duplicateOf` knows), without its pixels. */
  duplicate(file: string, hash: string): void
  /** Images added so far. */
  readonly count: number
  /** Channels of the rows on disk: 1 after `finish` narrowed a grey dataset (see `narrowGrey`). */
  readonly channels: 1 | 3
  /** Makes the new dataset durable and replaces the previous one. */
  finish(): Promise<ImportResult>
  /** Drops the temp file; the previous dataset stays as it was. */
  abort(): Promise<void>
}

/** Pixels are batched into writes of about this many bytes. */
const CHUNK_BYTES = 1 << 20
let tempCounter = 0

export async function createDatasetWriter(outDir: string, options: DatasetWriterOptions): Promise<DatasetWriter> {
  const { size, fit, source } = options
  let channels = options.channels
  const imageBytes = size * size * channels
  /** Every image so far is grey (only watched when asked to narrow). */
  let allGrey = options.narrowGrey === true && channels === 3
  await fs.mkdir(outDir, { recursive: true })
  await removeStaleTemps(outDir)
  const tempName = (): string => path.join(outDir, `.${IMAGES_FILE}.${process.pid}.${tempCounter++}.tmp`)
  let tempPath = tempName()
  const handle = await fs.open(tempPath, 'w')

  const files: IndexEntry[] = []
  const skipped: SkippedFile[] = []
  /** The first file with each content hash, and its (first) row. */
  const firstByHash = new Map<string, { file: string; index: number }>()
  const rowKeys = new Set<string>()
  const imagesHash = createHash('sha256')
  const chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, imageBytes))
  let filled = 0
  let count = 0
  let duplicates = 0
  let closed = false
  /** Pixel writes run one after another even when add() callers do not await them. */
  let queue: Promise<void> = Promise.resolve()

  async function flush(): Promise<void> {
    let offset = 0
    while (offset < filled) {
      const { bytesWritten } = await handle.write(chunk, offset, filled - offset)
      offset += bytesWritten
    }
    imagesHash.update(chunk.subarray(0, filled))
    filled = 0
  }

  async function write(pixels: Uint8Array): Promise<void> {
    if (filled + imageBytes > chunk.length) await flush()
    chunk.set(pixels, filled)
    filled += imageBytes
  }

  function recordDuplicate(file: string, hash: string): void {
    const first = firstByHash.get(hash)
    if (!first) throw new Error(`${file}: no image with hash ${hash} was added`)
    duplicates++
    files.push({ file, hash, status: 'duplicate', index: first.index, reason: `duplicate of ${first.file}` })
  }

  async function close(): Promise<void> {
    if (closed) return
    closed = true
    await queue.catch(() => undefined)
    await handle.close()
  }

  async function abort(): Promise<void> {
    await close()
    await fs.rm(tempPath, { force: true })
  }

  return {
    get count() {
      return count
    },
    get channels() {
      return channels
    },
    add(pixels, { file, hash, face }) {
      // Row and index entry are settled now, in call order; only the bytes wait their turn.
      if (closed) return Promise.reject(new Error('dataset writer is already finished'))
      if (pixels.length !== imageBytes) {
        const expected = `${size}×${size}×${channels} = ${imageBytes} bytes`
        return Promise.reject(new Error(`${file}: expected ${expected}, got ${pixels.length}`))
      }
      const fileHash = hash ?? createHash('sha256').update(pixels).digest('hex')
      // The faces of one photo share its hash: each is its own row, the photo's copies point at the first.
      const key = face ? `${fileHash}#${face.n}` : fileHash
      if (rowKeys.has(key)) {
        recordDuplicate(file, fileHash)
        return Promise.resolve(null)
      }
      if (allGrey) allGrey = isGrey(pixels)
      const index = count++
      rowKeys.add(key)
      if (!firstByHash.has(fileHash)) firstByHash.set(fileHash, { file, index })
      files.push(face ? { file, hash: fileHash, status: 'imported', index, face } : { file, hash: fileHash, status: 'imported', index })
      const written = queue.then(() => write(pixels))
      queue = written
      return written.then(() => index)
    },
    skip(file, reason, hash, face) {
      if (closed) throw new Error('dataset writer is already finished')
      skipped.push({ file, reason })
      files.push({ file, ...(hash === undefined ? {} : { hash }), status: 'skipped', reason, ...(face ? { face } : {}) })
    },
    duplicateOf(hash) {
      return firstByHash.get(hash)?.file
    },
    duplicate(file, hash) {
      if (closed) throw new Error('dataset writer is already finished')
      recordDuplicate(file, hash)
    },
    async finish() {
      if (closed) throw new Error('dataset writer is already finished')
      if (count === 0) {
        await abort()
        throw new StudioError('bad-data', `no images to write for ${source}`)
      }
      let imagesSha256: string
      try {
        await queue
        await flush()
        await handle.sync()
        await close()
        imagesSha256 = imagesHash.digest('hex')
        if (allGrey) {
          const narrowed = tempName()
          try {
            imagesSha256 = await narrowToGrey(tempPath, narrowed, imageBytes)
          } catch (err) {
            await fs.rm(narrowed, { force: true })
            throw err
          }
          await fs.rm(tempPath, { force: true })
          tempPath = narrowed
          channels = 1
        }
      } catch (err) {
        await abort()
        throw err
      }
      const index: DatasetIndex = {
        version: INDEX_VERSION,
        size,
        channels,
        fit,
        source,
        count,
        imagesSha256,
        files
      }
      try {
        await fs.rename(tempPath, path.join(outDir, IMAGES_FILE))
      } catch (err) {
        await fs.rm(tempPath, { force: true })
        throw err
      }
      await fsyncDir(outDir)
      await writeJsonAtomic(path.join(outDir, INDEX_FILE), index)
      return { imported: count, skipped, duplicates }
    },
    abort
  }
}

/** R, G and B within a level of each other at every pixel. */
function isGrey(pixels: Uint8Array): boolean {
  for (let i = 0; i < pixels.length; i += 3) {
    const r = pixels[i]
    const g = pixels[i + 1]
    const b = pixels[i + 2]
    if (r - g > 1 || g - r > 1 || g - b > 1 || b - g > 1 || r - b > 1 || b - r > 1) return false
  }
  return true
}

/**
 * Writes the RGB rows of `from` as one-channel rows (Rec. 601 luma, as the face crops' grey) into
 * `to`, fsynced; returns their sha256. Streamed a megabyte at a time, like the writes.
 */
async function narrowToGrey(from: string, to: string, rowBytes: number): Promise<string> {
  const input = await fs.open(from, 'r')
  const output = await fs.open(to, 'w')
  const hash = createHash('sha256')
  try {
    const block = Buffer.allocUnsafe(Math.max(1, Math.floor(CHUNK_BYTES / rowBytes)) * rowBytes)
    const grey = Buffer.allocUnsafe(block.length / 3)
    for (;;) {
      const { bytesRead } = await input.read(block, 0, block.length, null)
      if (bytesRead === 0) break
      const n = bytesRead / 3
      for (let i = 0, j = 0; i < n; i++, j += 3) grey[i] = Math.round(0.299 * block[j] + 0.587 * block[j + 1] + 0.114 * block[j + 2])
      await output.write(grey, 0, n)
      hash.update(grey.subarray(0, n))
    }
    await output.sync()
  } finally {
    await input.close()
    await output.close()
  }
  return hash.digest('hex')
}

/**
 * A crash mid-import leaves its hidden temp file behind (up to a gigabyte at 128 px); the next
 * writer removes those whose process is gone, so a project folder does not grow with each crash.
 */
async function removeStaleTemps(outDir: string): Promise<void> {
  for (const name of await fs.readdir(outDir)) {
    const match = /^\.(?:images\.u8|index\.json)\.(\d+)\.\d+\.tmp$/.exec(name)
    if (match && !isAlive(Number(match[1]))) await fs.rm(path.join(outDir, name), { force: true })
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
