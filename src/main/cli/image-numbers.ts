/**
 * Image numbers at the command line's edge. People count images from 1, as the studio's views
 * show them ("Image 3"); the engine and the contract index dataset rows from 0. The CLI reads and
 * prints numbers from 1 and converts here, checking them against the open project's image count.
 */
import { UsageError } from './usage-error'

/** "3" → 3: one image number as typed (not yet checked against a project). */
export function imageNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1) throw new UsageError(`--${flag} expects an image number (from 1), not "${value}"`)
  return Number(value)
}

/** "3,7,12" → [3, 7, 12]: image numbers as typed. */
export function imageNumberListFlag(flag: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((v) => v.trim())
  if (items.some((v) => !/^\d+$/.test(v) || Number(v) < 1))
    throw new UsageError(`--${flag} expects image numbers from 1, separated by commas (e.g. 3,7,12), not "${value}"`)
  return items.map(Number)
}

/** The dataset row of image `number` (counted from 1) in a project of `count` images. */
export function toRow(flag: string, number: number, count: number): number {
  if (count === 0) throw new UsageError(`--${flag} ${number}: the project has no images yet; import some first`)
  if (number < 1 || number > count)
    throw new UsageError(`--${flag} ${number}: there is no image ${number}; this project's images are numbered from 1 to ${count}`)
  return number - 1
}

export function toRows(flag: string, numbers: number[], count: number): number[] {
  return numbers.map((n) => toRow(flag, n, count))
}

/** Dataset rows as the person reads them. */
export function toNumbers(rows: number[]): number[] {
  return rows.map((row) => row + 1)
}
