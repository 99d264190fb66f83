import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { QualityPoint } from '../../../shared/results'
import { useTempDirs } from '../../../../test/support/project/temp-dir'
import { appendQualityPoint, readQualityPoints } from './quality-store'

const tempDir = useTempDirs()

function point(step: number, fields: Partial<QualityPoint> = {}): QualityPoint {
  return {
    step,
    frechet: 40 - step / 100,
    kid: 0.02,
    kidStd: 0.001,
    identity: 0.88,
    samples: 128,
    reference: 400,
    heldOut: 40,
    floor: { frechet: 6.5, kid: 0.001 },
    temperature: 1,
    seconds: 3.2,
    ...fields
  }
}

const file = (dir: string): string => path.join(dir, 'quality.json')
const damagedCopies = async (dir: string): Promise<string[]> =>
  (await fs.readdir(dir)).filter((f) => /^quality\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?\.json$/.test(f))

describe('quality.json', () => {
  it('keeps every measurement, sorted by step, replacing one of the same step and sampling', async () => {
    const dir = await tempDir()
    await appendQualityPoint(dir, point(200))
    await appendQualityPoint(dir, point(100))
    await appendQualityPoint(dir, point(200, { frechet: 12 }))
    expect(await readQualityPoints(dir)).toEqual({ points: [point(100), point(200, { frechet: 12 })] })
  })

  it('refuses a measurement that is not finite, with the reason, and leaves the history as it was', async () => {
    const dir = await tempDir()
    await appendQualityPoint(dir, point(100))
    const before = await fs.readFile(file(dir), 'utf8')
    for (const bad of [
      point(200, { frechet: Number.NaN }),
      point(200, { identity: Number.POSITIVE_INFINITY }),
      point(200, { identity: 1.4 })
    ]) {
      const error = await appendQualityPoint(dir, bad).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'bad-data' })
      expect((error as Error).message).toMatch(/^the measurement was not saved: /)
    }
    expect(await fs.readFile(file(dir), 'utf8')).toBe(before)
  })

  it('sets a file with a missing comma aside with a dated name, keeps what can be read from it, and says so', async () => {
    const dir = await tempDir()
    for (const step of [100, 200, 300]) await appendQualityPoint(dir, point(step))
    const text = await fs.readFile(file(dir), 'utf8')
    // The comma between the second and third measurement goes missing.
    const between = [...text.matchAll(/\}(\s*),(\s*)\{/g)].at(-1)!
    await fs.writeFile(file(dir), text.slice(0, between.index + 1) + text.slice(between.index + 2))
    const read = await readQualityPoints(dir)
    expect(read.points.map((p) => p.step)).toEqual([100, 200, 300])
    const aside = await damagedCopies(dir)
    expect(aside).toHaveLength(1)
    expect(read.problem).toMatch(/^quality\.json was damaged \(not valid JSON: .*\): 3 of its 3 measurements were kept; /)
    expect(read.problem!.endsWith(`the file as it was is kept as ${aside[0]}`)).toBe(true)
    // Written back whole: the next read finds nothing wrong.
    expect(await readQualityPoints(dir)).toEqual({ points: read.points })
  })

  it('drops only the measurements that are not valid (a null for NaN), and the next measurement keeps the rest', async () => {
    const dir = await tempDir()
    for (const step of [100, 200, 300]) await appendQualityPoint(dir, point(step))
    const json = JSON.parse(await fs.readFile(file(dir), 'utf8')) as { points: Array<Record<string, unknown>> }
    json.points[1].frechet = null
    await fs.writeFile(file(dir), JSON.stringify(json))
    const appended = await appendQualityPoint(dir, point(400))
    expect(appended.points.map((p) => p.step)).toEqual([100, 300, 400])
    expect(appended.problem).toMatch(
      /^quality\.json was damaged \(measurement 2: .*frechet.*\): 2 of its 3 measurements were kept; the file as it was is kept as quality\.damaged-/
    )
    expect(await damagedCopies(dir)).toHaveLength(1)
    expect((await readQualityPoints(dir)).points.map((p) => p.step)).toEqual([100, 300, 400])
  })
})
