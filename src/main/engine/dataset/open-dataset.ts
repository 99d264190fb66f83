/**
 * Loads a dataset cache for training: the whole pixel file in one buffer (that is what the trainer
 * batches from), checked against its index so a torn or mismatched cache is refused rather than
 * trained on.
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
  let images: Buffer
  try {
    images = await fs.readFile(file)
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
  return { ...index, images: new Uint8Array(images.buffer, images.byteOffset, images.length) }
}
