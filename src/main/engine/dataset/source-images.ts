/**
 * Dataset rows made again from the files they were imported from, at a larger size. A 32-px
 * dataset is too small for the face detector (48 Olivetti crops: 3 found at 32 px, 40 at 64 px;
 * upscaling the 32-px rows does not bring the detail back: 0–19), while the source files usually
 * still sit in the folder the user chose to import. Each is read, checked against the hash the
 * import recorded and decoded as the import decoded it, only larger. Rows whose file is gone or
 * changed, rows cut out of a photo by face finding, and the demo set's rows get null.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { datasetOptionsSchema, type ImageSize } from '../../../shared/config'
import type { RawImage } from '../../../shared/images'
import type { DatasetIndex } from './dataset-index'
import { decodeImage } from './decode-image'

export async function rowsFromSources(data: DatasetIndex, rows: readonly number[], size: ImageSize): Promise<(RawImage | null)[]> {
  if (!path.isAbsolute(data.source)) return rows.map(() => null)
  const wholeFiles = new Map(data.files.filter((f) => f.status === 'imported' && !f.face && f.hash).map((f) => [f.index, f]))
  const options = datasetOptionsSchema.parse({ size, fit: data.fit, channels: data.channels })
  return Promise.all(
    rows.map(async (row) => {
      const entry = wholeFiles.get(row)
      if (!entry) return null
      const file = path.resolve(data.source, entry.file)
      if (path.relative(data.source, file).startsWith('..')) return null
      const bytes = await fs.readFile(file).catch(() => null)
      if (!bytes || createHash('sha256').update(bytes).digest('hex') !== entry.hash) return null
      const decoded = await decodeImage(bytes, options)
      return 'pixels' in decoded ? { width: size, height: size, channels: data.channels, pixels: decoded.pixels } : null
    })
  )
}
