/**
 * Leaving images out of a dataset the user reviewed: the cache is written again without their
 * rows (atomically, like an import), and the index keeps what was excluded and why, so the
 * skipped list shows it and a re-import brings it back. Copies of an excluded image go with it.
 */
import { StudioError } from '../../../shared/errors'
import type { ImportResult } from '../../../shared/contract'
import { createDatasetWriter } from './dataset-writer'
import { checkRows } from './image-numbers'
import type { OpenedDataset } from './open-dataset'

export const excludedReason = 'left out by you'

/**
 * @param rows the rows to leave out; with `wholePhotos`, every row of the same source files too.
 */
export async function excludeRows(
  data: OpenedDataset,
  outDir: string,
  rows: readonly number[],
  wholePhotos: boolean
): Promise<ImportResult> {
  checkRows(rows, data.count)
  const leaving = new Set(rows)
  if (wholePhotos) {
    const files = new Set(data.files.filter((e) => e.status === 'imported' && leaving.has(e.index!)).map((e) => e.file))
    for (const e of data.files) if (e.status === 'imported' && files.has(e.file)) leaving.add(e.index!)
  }
  if (leaving.size >= data.count) throw new StudioError('invalid-request', 'that would leave no images: import another folder instead')
  const writer = await createDatasetWriter(outDir, { size: data.size, channels: data.channels, fit: data.fit, source: data.source })
  const rowBytes = data.size * data.size * data.channels
  try {
    for (const entry of data.files) {
      const row = entry.index
      if (entry.status === 'skipped') writer.skip(entry.file, entry.reason ?? 'not imported', entry.hash, entry.face)
      else if (row !== undefined && leaving.has(row)) writer.skip(entry.file, excludedReason, entry.hash, entry.face)
      else if (entry.status === 'duplicate') writer.duplicate(entry.file, entry.hash!)
      else
        await writer.add(data.images.subarray(row! * rowBytes, (row! + 1) * rowBytes), {
          file: entry.file,
          hash: entry.hash,
          face: entry.face
        })
    }
  } catch (err) {
    await writer.abort()
    throw err
  }
  return writer.finish()
}
