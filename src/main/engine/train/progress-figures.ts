/** What a progress event says besides the step's losses: how far, how fast, how long still. */
import type { RunLength } from '../../../shared/config'
import {
  estimateRun,
  fractionDone,
  resolvedLength,
  stepsPerEpoch,
  type Pace,
  type RunPosition,
  type RunShape,
  type RunTarget
} from '../../../shared/run-length'
import type { TrainProgress } from '../../../shared/events'
import type { ThroughputMeter } from './throughput-meter'

export interface RunStanding {
  length: RunLength
  target: RunTarget
  shape: RunShape
  at: RunPosition
  /** The pace measured in this run, or null before its first second. */
  pace: Pace | null
  meter: ThroughputMeter
  targetBeta: number
}

export function progressFigures({
  length,
  target,
  shape,
  at,
  pace,
  meter,
  targetBeta
}: RunStanding): Omit<TrainProgress, 'step' | 'epoch' | 'loss' | 'recon' | 'kl' | 'beta'> {
  const estimate = estimateRun(target, at, shape, pace)
  return {
    imagesSeen: at.imagesSeen,
    epochImages: shape.trainImages,
    totalSteps: at.step + (estimate.stepsLeft ?? 0),
    stepsPerEpoch: stepsPerEpoch(shape),
    length: resolvedLength(length, shape),
    fraction: fractionDone(target, at),
    trainedSec: at.trainedSec,
    targetBeta,
    stepsPerSec: meter.stepsPerSec,
    imgPerSec: meter.imgPerSec,
    etaSec: estimate.secondsLeft
  }
}
