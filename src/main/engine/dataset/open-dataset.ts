/**
 * Loads a dataset cache for training: the whole pixel file in one buffer (that is what the trainer
 * batches from), checked against its index so a torn or mismatched cache is refused rather than
 * trained on. The buffer is shared memory, so the training workers read it without a copy.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { damaged, IMAGES_FILE, readDatasetIndex, type DatasetIndex } from './dataset-index'

export interface OpenedDataset extends DatasetIndex {
  /** count×size×size×channels, row-major, channels interleaved. */
  images: Uint8Array
}

export async function openDataset(dir: string): Promise<OpenedDataset> {
  const index = await readDatasetIndex(dir)
  const file = path.join(dir, IMAGES_FILE)
  let images: Uint8Array
  try {
    images = await readShared(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw damaged(`${file} is missing`)
    throw err
  }
  const expected = index.count * index.size * index.size * index.channels
  if (images.length !== expected) {
    throw damaged(
      `${file} holds ${images.length} bytes but the index describes ${index.count} images of ` +
        `${index.size}×${index.size}×${index.channels} = ${expected} bytes; import the folder again`
    )
  }
  if (createHash('sha256').update(images).digest('hex') !== index.imagesSha256) {
    throw damaged(`${file} does not match its index (its checksum differs); import the folder again`)
  }
  return { ...index, images }
}

/** The whole file in a SharedArrayBuffer. */
async function readShared(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r')
  try {
    const { size } = await handle.stat()
    const bytes = new Uint8Array(new SharedArrayBuffer(size))
    for (let at = 0; at < size;) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at)
      if (bytesRead === 0) break
      at += bytesRead
    }
    return bytes
  } finally {
    await handle.close()
  }
}
