/**
 * Every number field of the studio with the limits of the request it feeds, read from the
 * contract's and the config's schemas (never restated here), narrowed only where the page shows less.
 */
import { faceImportSchema, modelConfigFields, runAmountSchemas, trainConfigSchema, warmupSchema } from '../../../shared/config'
import { methods } from '../../../shared/contract'
import { limitsOf, within } from './number-limits'

const sample = methods.modelSample.request.shape
const samples = methods.exportSamples.request.shape
const train = trainConfigSchema.shape

export const fieldLimits = {
  demoCount: limitsOf(methods.datasetDemo.request.shape.count),
  minFaceSize: limitsOf(faceImportSchema.shape.minFaceSize),
  /** A run's length in each unit it can be given in. */
  runLength: {
    steps: limitsOf(runAmountSchemas.steps),
    minutes: limitsOf(runAmountSchemas.minutes),
    epochs: limitsOf(runAmountSchemas.epochs)
  },
  batchSize: limitsOf(train.batchSize),
  learningRate: limitsOf(train.learningRate),
  beta: limitsOf(methods.trainSetBeta.request.shape.beta),
  warmupSteps: limitsOf(warmupSchema.shape.steps),
  valFraction: limitsOf(train.valFraction),
  latentDim: limitsOf(modelConfigFields.latentDim),
  temperature: limitsOf(sample.temperature),
  seed: limitsOf(sample.seed),
  latentSamples: limitsOf(sample.count),
  exportCount: limitsOf(samples.count),
  /** A grid's columns and rows: the page lays out at most 16 a side (16 × 16 = the engine's 256 samples). */
  gridSide: within(limitsOf(sample.count), { max: 16 }),
  gridCount: limitsOf(sample.count),
  frames: limitsOf(methods.latentInterpolate.request.shape.frames),
  frameTimeMs: limitsOf(methods.exportAnimation.request.shape.delayMs),
  timelineCount: limitsOf(methods.latentTimeline.request.shape.count),
  attributeAmount: limitsOf(methods.attributeApply.request.shape.amounts),
  denoiseSeed: limitsOf(methods.toolsDenoise.request.shape.seed),
  latentAxis: limitsOf(methods.latentMap.request.shape.dims.unwrap().def.items[0])
}
