import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { TrainProgress } from '../../shared/events'
import { createReporter } from './reporter'

/** A stream that keeps what the reporter writes. */
function capture(): { stream: NodeJS.WriteStream; records: () => Array<Record<string, unknown>> } {
  let text = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString()
      done()
    }
  }) as unknown as NodeJS.WriteStream
  return {
    stream,
    records: () =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
  }
}

describe('the --json reporter', () => {
  it('names whose progress each progress record is, so an import, an export and a run can be told apart', () => {
    const out = capture()
    const reporter = createReporter(true, out.stream)
    reporter.importProgress({ done: 3, total: 10, imported: 3, skipped: 0 })
    reporter.exportProgress({ done: 1, total: 4 })
    const step: TrainProgress = {
      step: 7,
      epoch: 0,
      imagesSeen: 224,
      epochImages: 400,
      totalSteps: 600,
      stepsPerEpoch: 13,
      length: { unit: 'steps', amount: 600 },
      fraction: 7 / 600,
      trainedSec: 3,
      loss: 0.5,
      recon: 0.4,
      kl: 0.1,
      beta: 16,
      targetBeta: 16,
      stepsPerSec: 2,
      imgPerSec: 64,
      etaSec: 300
    }
    reporter.trainProgress(step)
    expect(out.records()).toEqual([
      { type: 'progress', task: 'import', done: 3, total: 10, imported: 3, skipped: 0 },
      { type: 'progress', task: 'export', done: 1, total: 4 },
      { type: 'progress', task: 'train', ...step }
    ])
  })
})
