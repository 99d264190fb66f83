/**
 * `quality.json`: every sample-quality measurement (`QualityPoint`) of a project, so the chart,
 * `info` and `evaluate` have them after reopening. Validated on write (a measurement with a
 * number that is not finite is refused: it never reaches the file) and on read (finite numbers,
 * whole counts). A damaged file is never dropped in silence: it is set aside with a dated name
 * (`quality.damaged-2026-12-06T21-04-05.json`), every measurement that can still be read from it
 * is kept (written back at once), and the caller reports what happened. The real faces'
 * embeddings the measurements use are cached beside it (embedding-cache.ts).
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { samplingKinds } from '../../../shared/config'
import { StudioError } from '../../../shared/errors'
import type { QualityPoint } from '../../../shared/results'
import { writeFileAtomic } from '../fs/atomic-write'
import { setAside } from '../fs/damaged-file'
import { salvageArrayObjects } from './json-salvage'
import { projectPaths } from './project-paths'
import { describeIssues } from './project-schema'

const qualityFileVersion = 1

export const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number')
const count = z.number().int().nonnegative()
export const qualityPointSchema = z.object({
  step: count,
  frechet: finiteNumber.min(0),
  kid: finiteNumber,
  kidStd: finiteNumber.min(0),
  identity: finiteNumber.min(-1).max(1),
  sharpness: finiteNumber.min(0).optional(),
  grid: finiteNumber.min(0).optional(),
  samples: count,
  reference: count,
  heldOut: count,
  floor: z.object({ frechet: finiteNumber.min(0), kid: finiteNumber }),
  temperature: finiteNumber.min(0),
  sampling: z.enum(samplingKinds).optional(),
  seconds: finiteNumber.min(0)
})
const qualityFileSchema = z.object({ version: z.literal(qualityFileVersion), points: z.array(z.unknown()) })

export interface QualityRead {
  points: QualityPoint[]
  /** What was wrong with the file and what became of it, when something was. */
  problem?: string
}

export async function readQualityPoints(dir: string): Promise<QualityRead> {
  const file = projectPaths(dir).qualityFile
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { points: [] }
    return { points: [], problem: `${file} could not be read (${(err as Error).message}); earlier quality measurements are not shown` }
  }
  const { points, total, why } = parsePoints(text)
  if (!why) return { points }
  const aside = await setAside(file)
  if (aside && points.length > 0) await writePoints(dir, points).catch(() => undefined)
  const kept = total === 0 ? 'no measurement could be read from it' : `${points.length} of its ${total} measurements were kept`
  const where = aside
    ? `the file as it was is kept as ${aside}`
    : 'it could not be set aside (the folder is not writable), so it was left as it is'
  return { points, problem: `${path.basename(file)} was damaged (${why}): ${kept}; ${where}` }
}

/** Adds `point` (replacing an earlier one of the same step, sampling and size), sorted by step; refused when not valid. */
export async function appendQualityPoint(dir: string, point: QualityPoint): Promise<QualityRead> {
  const valid = qualityPointSchema.safeParse(point)
  if (!valid.success) throw new StudioError('bad-data', `the measurement was not saved: ${describeIssues(valid.error)}`)
  const read = await readQualityPoints(dir)
  const same = (p: QualityPoint): boolean => p.step === point.step && p.samples === point.samples && p.temperature === point.temperature
  const points = [...read.points.filter((p) => !same(p)), valid.data].sort((a, b) => a.step - b.step)
  await writePoints(dir, points)
  return { points, problem: read.problem }
}

function writePoints(dir: string, points: QualityPoint[]): Promise<void> {
  return writeFileAtomic(projectPaths(dir).qualityFile, JSON.stringify({ version: qualityFileVersion, points }, null, 1))
}

/** The valid points of the file's text, how many it held, and what was wrong with it (nothing when all is well). */
function parsePoints(text: string): { points: QualityPoint[]; total: number; why?: string } {
  let raw: unknown
  let items: unknown[]
  let why: string | undefined
  let unreadable = 0
  try {
    raw = JSON.parse(text)
    const file = qualityFileSchema.safeParse(raw)
    if (!file.success) return { points: [], total: 0, why: describeIssues(file.error) }
    items = file.data.points
  } catch (err) {
    why = `not valid JSON: ${(err as Error).message}`
    ;({ objects: items, unreadable } = salvageArrayObjects(text, 'points'))
  }
  const points: QualityPoint[] = []
  const issues: string[] = []
  items.forEach((item, i) => {
    const parsed = qualityPointSchema.safeParse(item)
    if (parsed.success) points.push(parsed.data)
    else issues.push(`measurement ${i + 1}: ${describeIssues(parsed.error)}`)
  })
  if (issues.length > 0) why = [why, ...issues.slice(0, 3), issues.length > 3 ? `${issues.length - 3} more` : ''].filter(Boolean).join('; ')
  return { points: points.sort((a, b) => a.step - b.step), total: items.length + unreadable, why }
}
