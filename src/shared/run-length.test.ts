import { describe, expect, it } from 'vitest'
import {
  estimateRun,
  extendedLength,
  fractionDone,
  isReached,
  lengthIn,
  moreAmount,
  recommendedSteps,
  runTarget,
  stepsToImages,
  type Pace
} from './run-length'
import { aboutDuration, describeLength, describeTrained } from './run-length-text'

const photos32 = { trainImages: 29, batchSize: 64 } // 32 photos, 10% held out
const pace: Pace = { secPerStep: 0.5, imagesPerStep: 29, source: 'run' }

describe('run length', () => {
  it('recommends enough steps to see faces on a small set (issue 20.2), 20 epochs on a large one, within a cap', () => {
    expect(recommendedSteps(photos32)).toBeGreaterThanOrEqual(300)
    expect(recommendedSteps({ trainImages: 9000, batchSize: 64 })).toBe(2900) // 20 × 141 steps, rounded up
    expect(recommendedSteps({ trainImages: 1_000_000, batchSize: 64 })).toBe(6000)
  })

  it('ends a run in steps, epochs (by images) or minutes of training', () => {
    const at = { step: 100, imagesSeen: 2900, trainedSec: 50 }
    expect(isReached(runTarget({ unit: 'steps', amount: 100 }, photos32), at)).toBe(true)
    expect(isReached(runTarget({ unit: 'epochs', amount: 101 }, photos32), at)).toBe(false)
    expect(fractionDone(runTarget({ unit: 'minutes', amount: 10 }, photos32), at)).toBeCloseTo(50 / 600)
    expect(isReached(runTarget({ unit: 'steps', amount: null }, photos32), at)).toBe(false)
  })

  it('counts the steps to an epoch count from anywhere in an epoch, batches stopping at its end', () => {
    const shape = { trainImages: 39, batchSize: 16 } // 16, 16, 7
    expect(stepsToImages(0, 2 * 39, shape)).toBe(6)
    expect(stepsToImages(39 + 16, 4 * 39, { trainImages: 39, batchSize: 8 })).toBe(3 + 10)
  })

  it('estimates the time left at the measured pace, scaled to the images a step holds', () => {
    const target = runTarget({ unit: 'steps', amount: 600 }, photos32)
    expect(estimateRun(target, { step: 0, imagesSeen: 0, trainedSec: 0 }, photos32, pace)).toEqual({
      stepsLeft: 600,
      secondsLeft: 300,
      estimated: true
    })
    // Twice the images a step: twice the time.
    const bigger = { trainImages: 200, batchSize: 58 }
    expect(
      estimateRun(runTarget({ unit: 'steps', amount: 10 }, bigger), { step: 0, imagesSeen: 0, trainedSec: 0 }, bigger, pace).secondsLeft
    ).toBeCloseTo(10)
    expect(estimateRun(target, { step: 0, imagesSeen: 0, trainedSec: 0 }, photos32, null).secondsLeft).toBeNull()
    const minutes = estimateRun(
      runTarget({ unit: 'minutes', amount: 2 }, photos32),
      { step: 10, imagesSeen: 290, trainedSec: 30 },
      photos32,
      null
    )
    expect(minutes).toEqual({ stepsLeft: null, secondsLeft: 90, estimated: false })
  })

  it('converts a length to another unit, rounded as a person would type it', () => {
    const target = runTarget({ unit: 'steps', amount: 600 }, photos32)
    const start = { step: 0, imagesSeen: 0, trainedSec: 0 }
    expect(lengthIn('minutes', target, start, photos32, pace)).toBe(5)
    expect(lengthIn('epochs', target, start, photos32, pace)).toBe(600)
    expect(lengthIn('minutes', target, start, photos32, null)).toBeNull()
  })

  it('trains more from where the model is, about five minutes’ worth', () => {
    const at = { step: 600, imagesSeen: 600 * 29, trainedSec: 312 }
    expect(moreAmount('steps', photos32, pace)).toBe(600)
    expect(moreAmount('minutes', photos32, pace)).toBe(5)
    expect(extendedLength('steps', 600, at, photos32)).toEqual({ unit: 'steps', amount: 1200 })
    expect(extendedLength('minutes', 5, at, photos32)).toEqual({ unit: 'minutes', amount: 10.2 })
    expect(moreAmount('steps', photos32, null)).toBe(recommendedSteps(photos32) / 2)
  })

  it('says lengths and times in words', () => {
    expect(describeLength({ unit: 'steps', amount: null }, 600)).toBe('the recommended 600 steps')
    expect(describeLength({ unit: 'minutes', amount: 2.5 })).toBe('2.5 minutes')
    expect(describeLength({ unit: 'epochs', amount: 1 })).toBe('1 epoch')
    expect(aboutDuration(40)).toBe('under a minute')
    expect(aboutDuration(301)).toBe('about 6 min')
    expect(aboutDuration(4700)).toBe('about 1 h 20 min')
    expect(describeTrained({ step: 300, imagesSeen: 300 * 29 + 10, trainedSec: 150 }, photos32)).toBe(
      '300 steps, 300.3 epochs, 2.5 minutes'
    )
  })
})
