/**
 * What a checkpoint holds and how its `manifest.json` describes `weights.bin`. Tensors are plain
 * float32 arrays here (no tfjs), so the store can be used and tested without a backend; the
 * trainer converts variables and optimizer slots to and from `NamedArray`s.
 */
import { z } from 'zod'
import type { RngState } from '../random/rng'

export interface NamedArray {
  name: string
  shape: number[]
  data: Float32Array
}

export interface Checkpoint {
  step: number
  epoch: number
  /**
   * Training images seen in all (epochs count by images, whatever the batch size) and seconds
   * spent training; absent from checkpoints written before they were kept.
   */
  imagesSeen?: number
  trainedSec?: number
  /** β used at this step (after warm-up), and the user's target β the warm-up ramps towards. */
  beta: number
  targetBeta: number
  /**
   * The calibrated Gaussian's σ² for the next step (the last step's mean squared error), so a
   * resumed run weighs its first step as the uninterrupted one would; absent before it was kept.
   */
  noiseVariance?: number
  rngState: RngState
  /** `split` fixes the train/validation split, `init` the initial weights. */
  seeds: { split: number; init: number }
  tensors: NamedArray[]
  /** Optimizer slots (e.g. Adam's first and second moments) so a resumed run continues exactly. */
  optimizer: { name: string; iterations: number; config?: Record<string, unknown>; tensors: NamedArray[] }
  /** Anything else (JSON values) the trainer wants back on resume: elapsed time, validation indices… */
  meta?: Record<string, unknown>
  /** A sharpening run's schedule and discriminator (train/sharpen.ts); absent from other runs' checkpoints. */
  sharpen?: SharpenCheckpoint
}

export const checkpointFormat = 'vae-studio-checkpoint'
export const checkpointFormatVersion = 1

const uint32 = z.number().int().min(0).max(0xffffffff)
const count = z.number().int().min(0)

export const tensorEntrySchema = z.object({
  name: z.string().min(1),
  shape: z.array(count),
  dtype: z.literal('float32'),
  /** Byte offset and length inside weights.bin. */
  offset: count,
  bytes: count
})
export type TensorEntry = z.infer<typeof tensorEntrySchema>

function uniqueNames(entries: Array<{ name: string }>): boolean {
  return new Set(entries.map((entry) => entry.name)).size === entries.length
}

const tensorListSchema = z.array(tensorEntrySchema).refine(uniqueNames, 'tensor names must be unique')

/** The sharpen option's schedule (see train/sharpen.ts) and its discriminator's Adam steps. */
export const sharpenMetaSchema = z.object({
  /** The weight w the user chose; a resumed run with another one starts the schedule afresh. */
  chosen: z.number().min(0).finite(),
  /** w now, after any back-off by the guard (0: turned off). */
  weight: z.number().min(0).finite(),
  /** λ for the next step, before the ramp. */
  lambda: z.number().min(0).finite(),
  /** Running mean of the squared error, and its value when the term started (null before). */
  errorMean: z.number().finite().nullable(),
  errorAtStart: z.number().finite().nullable(),
  backoffs: count,
  /** The guard waits until this step. */
  calmUntil: count,
  discriminatorSteps: count
})

/** The schedule, and the discriminator's weights then Adam's m and v of each. */
export type SharpenCheckpoint = z.infer<typeof sharpenMetaSchema> & { tensors: NamedArray[] }

/** The checkpoint's and its optimizer's scalar fields, checked before anything is written. */
export const checkpointMetaSchema = z.object({
  step: count,
  epoch: count,
  imagesSeen: count.optional(),
  trainedSec: z.number().min(0).optional(),
  beta: z.number().min(0),
  targetBeta: z.number().min(0),
  noiseVariance: z.number().positive().finite().optional(),
  rngState: z.tuple([uint32, uint32, uint32, uint32]),
  seeds: z.object({ split: uint32, init: uint32 }),
  meta: z.record(z.string(), z.unknown()).optional()
})

export const optimizerMetaSchema = z.object({
  name: z.string().min(1),
  iterations: count,
  config: z.record(z.string(), z.unknown()).optional()
})

export const manifestSchema = checkpointMetaSchema.extend({
  format: z.literal(checkpointFormat),
  formatVersion: z.literal(checkpointFormatVersion),
  savedAt: z.iso.datetime({ offset: true }),
  weights: z.object({
    file: z.literal('weights.bin'),
    bytes: count,
    sha256: z.string().regex(/^[0-9a-f]{64}$/)
  }),
  tensors: tensorListSchema,
  optimizer: optimizerMetaSchema.extend({ tensors: tensorListSchema }),
  sharpen: sharpenMetaSchema.extend({ tensors: tensorListSchema }).optional()
})
export type CheckpointManifest = z.infer<typeof manifestSchema>
