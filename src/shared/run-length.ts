/**
 * The arithmetic of a run's length, shared by the engine (when to stop), the CLI and the page
 * (what a run will take, before it starts). Progress counts images seen, so an epoch is an epoch
 * whatever the batch size; a batch never crosses an epoch's end (a small set uses every image).
 * Lengths count in all: the model's whole training, across stops, resumes and batch sizes.
 */
import type { RunLength, RunLengthUnit } from './config'

/** What a run trains on: the images outside the validation split, in batches. */
export interface RunShape {
  trainImages: number
  batchSize: number
}

/** Where a model's training stands: its latest checkpoint, or a run's latest step. */
export interface RunPosition {
  step: number
  imagesSeen: number
  /** Seconds spent training (paused time left out). */
  trainedSec: number
}

export const startOfTraining: RunPosition = { step: 0, imagesSeen: 0, trainedSec: 0 }

/** Where a run ends: a step, an images-seen count (whole epochs), or seconds of training. */
export type RunTarget = { unit: 'steps'; step: number } | { unit: 'epochs'; images: number } | { unit: 'minutes'; seconds: number }

/** A measured training pace: seconds a step took with this many images in it. */
export interface Pace {
  secPerStep: number
  imagesPerStep: number
  /** project: this project's earlier training; measured: a few steps timed just now; run: the run going on. */
  source: 'project' | 'measured' | 'run'
}

/**
 * Steps that bring samples of a small face set close to where 10 minutes of training take them
 * (test/experiments/run-length/README.md: on 69 faces, 63 a step, face Fréchet distance reached
 * 2× the 10-minute figure by step 50 and within 5 % of it by step 200): 400 steps of a set
 * smaller than a batch see about as many images as those 200. Larger sets get 20 epochs (the
 * old default), up to a cap that keeps the recommendation within an evening.
 */
export const minRecommendedSteps = 400
export const recommendedEpochs = 20
export const maxRecommendedSteps = 6000

export function stepsPerEpoch({ trainImages, batchSize }: RunShape): number {
  return Math.ceil(trainImages / batchSize)
}

/** The images in the step taken at `imagesSeen`: a batch, or what is left of the epoch. */
export function imagesInStep(imagesSeen: number, { trainImages, batchSize }: RunShape): number {
  return Math.min(batchSize, trainImages - (imagesSeen % trainImages))
}

/** Completed epochs at `imagesSeen`. */
export function epochsDone(imagesSeen: number, trainImages: number): number {
  return Math.floor(imagesSeen / trainImages)
}

export function recommendedSteps(shape: RunShape): number {
  const steps = Math.max(minRecommendedSteps, recommendedEpochs * stepsPerEpoch(shape))
  return Math.min(maxRecommendedSteps, Math.ceil(steps / 100) * 100)
}

/** The length with its amount filled in: a recommended one as its steps. */
export function resolvedLength(length: RunLength, shape: RunShape): { unit: RunLengthUnit; amount: number } {
  return length.amount === null ? { unit: 'steps', amount: recommendedSteps(shape) } : { unit: length.unit, amount: length.amount }
}

/** The run's end for `length` (null amount: the recommended one, in steps). */
export function runTarget(length: RunLength, shape: RunShape): RunTarget {
  if (length.amount === null) return { unit: 'steps', step: recommendedSteps(shape) }
  if (length.unit === 'steps') return { unit: 'steps', step: length.amount }
  if (length.unit === 'epochs') return { unit: 'epochs', images: length.amount * shape.trainImages }
  return { unit: 'minutes', seconds: length.amount * 60 }
}

export function isReached(target: RunTarget, at: RunPosition): boolean {
  if (target.unit === 'steps') return at.step >= target.step
  if (target.unit === 'epochs') return at.imagesSeen >= target.images
  return at.trainedSec >= target.seconds
}

/** How far the run is towards its end, 0…1. */
export function fractionDone(target: RunTarget, at: RunPosition): number {
  const [done, end] =
    target.unit === 'steps'
      ? [at.step, target.step]
      : target.unit === 'epochs'
        ? [at.imagesSeen, target.images]
        : [at.trainedSec, target.seconds]
  return end > 0 ? Math.min(1, done / end) : 1
}

/** Steps from `imagesSeen` until `targetImages` have been seen, batches stopping at each epoch's end. */
export function stepsToImages(imagesSeen: number, targetImages: number, shape: RunShape): number {
  let steps = 0
  let seen = imagesSeen
  const perEpoch = stepsPerEpoch(shape)
  while (seen < targetImages) {
    const position = seen % shape.trainImages
    if (position === 0 && targetImages - seen >= shape.trainImages) {
      const epochs = Math.floor((targetImages - seen) / shape.trainImages)
      steps += epochs * perEpoch
      seen += epochs * shape.trainImages
      continue
    }
    const rest = Math.min(shape.trainImages - position, targetImages - seen)
    steps += Math.ceil(rest / shape.batchSize)
    seen += rest
  }
  return steps
}

/** Seconds a step takes at this shape: the pace scaled by the images a step holds. */
export function secPerStepAt(pace: Pace, shape: RunShape): number {
  const images = Math.min(shape.batchSize, shape.trainImages)
  return (pace.secPerStep * images) / Math.max(1, pace.imagesPerStep)
}

export interface RunEstimate {
  /** Steps still to take; null for a time-bound run whose pace is unknown. */
  stepsLeft: number | null
  /** Seconds still to train; null when a step-bound run's pace is unknown. */
  secondsLeft: number | null
  /** The time is an estimate (from a pace); only a run bound by minutes knows its time exactly. */
  estimated: boolean
}

export function estimateRun(target: RunTarget, at: RunPosition, shape: RunShape, pace: Pace | null): RunEstimate {
  const perStep = pace ? secPerStepAt(pace, shape) : null
  if (target.unit === 'minutes') {
    const secondsLeft = Math.max(0, target.seconds - at.trainedSec)
    return { stepsLeft: perStep ? Math.ceil(secondsLeft / perStep) : null, secondsLeft, estimated: false }
  }
  const stepsLeft = target.unit === 'steps' ? Math.max(0, target.step - at.step) : stepsToImages(at.imagesSeen, target.images, shape)
  return { stepsLeft, secondsLeft: perStep === null ? null : stepsLeft * perStep, estimated: true }
}

/** The model's training so far, in `unit` (epochs and minutes may be fractions). */
export function doneIn(unit: RunLengthUnit, at: RunPosition, shape: RunShape): number {
  if (unit === 'steps') return at.step
  if (unit === 'epochs') return at.imagesSeen / shape.trainImages
  return at.trainedSec / 60
}

/**
 * The same end expressed in another unit, rounded to what a person would type (whole steps and
 * epochs, half minutes); null when that needs a pace nobody measured yet.
 */
export function lengthIn(unit: RunLengthUnit, target: RunTarget, at: RunPosition, shape: RunShape, pace: Pace | null): number | null {
  const estimate = estimateRun(target, at, shape, pace)
  if (unit === 'steps') return estimate.stepsLeft === null ? null : Math.max(1, at.step + estimate.stepsLeft)
  if (unit === 'minutes') {
    if (estimate.secondsLeft === null) return null
    return Math.max(0.5, Math.ceil(((at.trainedSec + estimate.secondsLeft) / 60) * 2) / 2)
  }
  if (estimate.stepsLeft === null) return null
  const images = at.imagesSeen + estimate.stepsLeft * Math.min(shape.batchSize, shape.trainImages)
  return Math.max(1, Math.round(images / shape.trainImages))
}

/** How much "Train more" adds: 5 minutes, or about 5 minutes' worth of steps or epochs. */
export const moreMinutes = 5

export function moreAmount(unit: RunLengthUnit, shape: RunShape, pace: Pace | null): number {
  if (unit === 'minutes') return moreMinutes
  const steps = pace ? (moreMinutes * 60) / secPerStepAt(pace, shape) : recommendedSteps(shape) / 2
  if (unit === 'steps') return Math.max(50, Math.round(steps / 50) * 50)
  return Math.max(1, Math.round(steps / stepsPerEpoch(shape)))
}

/** The length that trains `more` (in the length's unit) past where the model is. */
export function extendedLength(unit: RunLengthUnit, more: number, at: RunPosition, shape: RunShape): RunLength {
  const done = doneIn(unit, at, shape)
  const base = unit === 'minutes' ? Math.round(done * 10) / 10 : Math.floor(done)
  return { unit, amount: base + more }
}

/** What a run with given settings would take, as the engine sees it (the `trainPlan` method). */
export interface TrainPlan {
  shape: RunShape
  recommendedSteps: number
  /** Where the model stands: the latest checkpoint, or the run going on. */
  at: RunPosition
  /** The pace to expect; null when none is known (and none could be measured). */
  pace: Pace | null
}
