/**
 * The contract indexes dataset rows from 0, but people count images from 1, as every view and
 * the command line show them ("Image 3"): a message about an image names it the way they do.
 */
import { StudioError } from '../../../shared/errors'

/** "image 33 does not exist: the dataset has 32 images (1–32)", for row 32 of 32. */
export function missingImage(row: number, count: number): StudioError {
  const has =
    count === 0 ? 'the dataset has no images' : count === 1 ? 'the dataset has 1 image (1)' : `the dataset has ${count} images (1–${count})`
  return new StudioError('invalid-request', `image ${row + 1} does not exist: ${has}`)
}

/** Every row a request names must exist. */
export function checkRows(rows: readonly number[], count: number): void {
  const bad = rows.find((row) => row < 0 || row >= count)
  if (bad !== undefined) throw missingImage(bad, count)
}
