import { describe, expect, it } from 'vitest'
import type { TrainProgress } from '../../shared/events'
import { trainProgressLine } from './train-progress-line'

const base: TrainProgress = {
  step: 120,
  epoch: 119,
  imagesSeen: 120 * 29,
  epochImages: 29,
  totalSteps: 600,
  stepsPerEpoch: 1,
  length: { unit: 'steps', amount: 600 },
  fraction: 0.2,
  trainedSec: 79,
  loss: 2051.25,
  recon: 2000.5,
  kl: 50.75,
  beta: 1,
  targetBeta: 1,
  stepsPerSec: 1.5213,
  imgPerSec: 44.1177,
  etaSec: 315.6
}

describe('the live line of vae-studio train', () => {
  it('shows steps and images per second as measured on a set smaller than a batch, in few decimals (issue 20.4)', () => {
    const line = trainProgressLine(base)
    expect(line).toContain('step 120/600 · epoch 120.0')
    expect(line).toContain('1.52 steps/s, 44.1 img/s')
    expect(line).toContain('5m16s left')
  })

  it('says where a run bound by minutes or epochs stands, and that the speed is still being measured', () => {
    expect(trainProgressLine({ ...base, length: { unit: 'minutes', amount: 10 } })).toContain('1m19s/10m00s · step 120')
    expect(trainProgressLine({ ...base, length: { unit: 'epochs', amount: 600 } })).toContain('epoch 120.0/600 · step 120/600')
    const early = trainProgressLine({ ...base, stepsPerSec: 0, imgPerSec: 0, etaSec: null })
    expect(early).toContain('measuring the speed')
    expect(early).not.toContain('left')
  })
})
