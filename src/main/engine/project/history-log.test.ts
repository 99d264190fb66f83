import { promises as fs } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { appendHistory, readHistory, truncateHistoryAfter, type HistoryEpochRow, type HistoryStepRow } from './history-log'
import { projectPaths } from './project-paths'
import { useTempDirs } from '../../../../test/support/project/temp-dir'

const tempDir = useTempDirs()

function stepRow(step: number): HistoryStepRow {
  return { step, epoch: Math.floor(step / 4), loss: 10 / step, recon: 9 / step, kl: 1 / step, beta: 1, t: 1_700_000_000_000 + step }
}

function epochRow(epoch: number, step: number): HistoryEpochRow {
  return {
    kind: 'epoch',
    epoch,
    step,
    valLoss: 1.5,
    valRecon: 1.25,
    valKl: 0.25,
    trainLoss: 1.4,
    trainRecon: 1.2,
    trainKl: 0.2,
    klPerDim: [0.5, 0, 0.01],
    activeUnits: 1,
    t: 1_700_000_000_000 + step
  }
}

async function historyText(dir: string): Promise<string> {
  return fs.readFile(projectPaths(dir).historyFile, 'utf8')
}

describe('history log', () => {
  it('reads nothing from a project that has not trained', async () => {
    expect(await readHistory(await tempDir())).toEqual({ steps: [], epochs: [], dropped: 0 })
  })

  it('round-trips step and epoch rows, one line each, NaN losses included', async () => {
    const dir = await tempDir()
    await appendHistory(dir, [stepRow(1), stepRow(2), stepRow(3)])
    await appendHistory(dir, [stepRow(4), epochRow(0, 4)])
    await appendHistory(dir, [{ ...stepRow(5), loss: Number.NaN, kl: Number.POSITIVE_INFINITY }])
    await appendHistory(dir, [])
    expect((await historyText(dir)).split('\n')).toHaveLength(7)
    const history = await readHistory(dir)
    expect(history.dropped).toBe(0)
    expect(history.steps.slice(0, 4)).toEqual([1, 2, 3, 4].map(stepRow))
    expect(history.steps[4].loss).toBeNaN()
    expect(history.steps[4].kl).toBeNaN()
    expect(history.epochs).toEqual([epochRow(0, 4)])
  })

  it('drops a torn last line and counts it', async () => {
    const dir = await tempDir()
    await appendHistory(dir, [stepRow(1), stepRow(2)])
    await fs.appendFile(projectPaths(dir).historyFile, JSON.stringify(stepRow(3)).slice(0, 20))
    const history = await readHistory(dir)
    expect(history.steps.map((row) => row.step)).toEqual([1, 2])
    expect(history.dropped).toBe(1)
  })

  it('cuts off a torn line before the next append, but keeps a complete row that lacks its newline', async () => {
    const dir = await tempDir()
    const file = projectPaths(dir).historyFile
    await appendHistory(dir, [stepRow(1)])
    await fs.appendFile(file, '{"step":2,"epo')
    await appendHistory(dir, [stepRow(2)])
    await fs.appendFile(file, JSON.stringify(stepRow(3)))
    await appendHistory(dir, [stepRow(4)])
    const history = await readHistory(dir)
    expect(history).toMatchObject({ dropped: 0, epochs: [] })
    expect(history.steps.map((row) => row.step)).toEqual([1, 2, 3, 4])
  })

  it('counts damaged rows in the middle without losing the rest', async () => {
    const dir = await tempDir()
    await appendHistory(dir, [stepRow(1)])
    await fs.appendFile(projectPaths(dir).historyFile, '{"step":"two"}\n')
    await appendHistory(dir, [stepRow(3)])
    const history = await readHistory(dir)
    expect(history.steps.map((row) => row.step)).toEqual([1, 3])
    expect(history.dropped).toBe(1)
  })

  it('truncateHistoryAfter keeps rows up to the step, byte for byte, and nothing torn', async () => {
    const dir = await tempDir()
    await appendHistory(dir, [stepRow(1), stepRow(2), epochRow(0, 2), stepRow(3), stepRow(4), epochRow(1, 4)])
    await fs.appendFile(projectPaths(dir).historyFile, '{"step":5')
    const before = await historyText(dir)
    expect(await truncateHistoryAfter(dir, 3)).toEqual({ kept: 4, removed: 3 })
    expect(await historyText(dir)).toBe(before.split('\n').slice(0, 4).join('\n') + '\n')
    const history = await readHistory(dir)
    expect(history).toEqual({ steps: [1, 2, 3].map(stepRow), epochs: [epochRow(0, 2)], dropped: 0 })
    expect(await truncateHistoryAfter(dir, 10)).toEqual({ kept: 4, removed: 0 })
    expect(await truncateHistoryAfter(await tempDir(), 10)).toEqual({ kept: 0, removed: 0 })
  })
})
