/**
 * Configuration shapes shared by the engine, the CLI, the host and the renderer, with their
 * schemas and defaults. The schemas are the single source of truth for what is accepted.
 */
import { z } from 'zod'

export const imageSizes = [32, 64, 128] as const
export type ImageSize = (typeof imageSizes)[number]

/**
 * Finding faces at import: every face of every photo is found, aligned from its landmarks (eyes
 * level, at a fixed distance and height) and imported as its own image. Off: whole files are
 * cropped or padded to the square, right for folders that are already aligned crops.
 */
export const faceImportSchema = z.strictObject({
  find: z.boolean().default(true),
  /** tight: forehead to chin (CelebA-like); face-and-hair: the whole head (FFHQ-like). */
  framing: z.enum(['tight', 'face-and-hair']).default('tight'),
  /** Faces narrower than this (pixels of the photo) are skipped, with their size in the reason. */
  minFaceSize: z.number().int().min(0).max(10_000).default(0),
  /** Every face of a photo, or only its largest. */
  which: z.enum(['all', 'largest']).default('all')
})
export type FaceImportOptions = z.infer<typeof faceImportSchema>
export const defaultFaceImport: FaceImportOptions = faceImportSchema.parse({})

export const importOptionsSchema = z.strictObject({
  size: z.union([z.literal(32), z.literal(64), z.literal(128)]).default(64),
  /** crop: centre-crop to square; pad: letterbox to square on black. */
  fit: z.enum(['crop', 'pad']).default('crop'),
  /** 1: grey, 3: colour; 'auto' (not said): grey when every image is grey, colour otherwise. */
  channels: z.union([z.literal(1), z.literal(3), z.literal('auto')]).default('auto'),
  /** Source images with more pixels than this are refused (decompression-bomb guard). */
  maxPixels: z.number().int().positive().max(1_000_000_000).default(100_000_000),
  faces: faceImportSchema.default(defaultFaceImport)
})
export type ImportOptions = z.infer<typeof importOptionsSchema>

/**
 * The options a dataset was imported with, as the import settled them (kept in the project): a
 * colour, never 'auto'; face finding off when the folder turned out to hold face crops already.
 */
export const datasetOptionsSchema = importOptionsSchema.extend({ channels: z.union([z.literal(1), z.literal(3)]).default(3) })
export type DatasetOptions = z.infer<typeof datasetOptionsSchema>

/**
 * How the decoder doubles its resolution (see model/decoder.ts). 'transposed-3x3': stride-2 3×3
 * transposed convolutions, the studio's first decoder (cheap, but a kernel the stride does not
 * divide leaves 16-px seams and checkerboards in samples); 'upsample-conv': nearest-neighbour ×2
 * then a 3×3 convolution, run as one 4×4 transposed convolution (seam-free by construction).
 */
export const decoderKinds = ['transposed-3x3', 'upsample-conv'] as const
export type DecoderKind = (typeof decoderKinds)[number]
export const reconKinds = ['bce', 'mse', 'gaussian'] as const
export type ReconKind = (typeof reconKinds)[number]

/**
 * Where sample codes come from (engine sampling/code-sampler.ts): 'fitted', a Gaussian mixture
 * fitted to the training faces' codes (the default: measured closer to the faces); 'prior', N(0, I).
 */
export const samplingKinds = ['fitted', 'prior'] as const
export type Sampling = (typeof samplingKinds)[number]
export const defaultSampling: Sampling = 'fitted'

/** The loss new projects get (see `suggestedBeta` for the β that comes with it). */
export const defaultRecon: ReconKind = 'gaussian'

/** The decoder a config without one was trained with: every project saved before the field existed. */
export const legacyDecoder: DecoderKind = 'transposed-3x3'

/** What new projects get. */
export const defaultDecoder: DecoderKind = 'upsample-conv'

/**
 * The encoder's first-block filters new projects get: half the decoder's. The encoder only has to
 * find each face's code: at half the width a training step took 20–36 % less time and the faces
 * came out as good at equal steps (test/experiments/sharp-faces/README.md, "Encoder width").
 */
export const defaultEncoderFilters = 16

/** Every field a model config had before `decoder` and `encoderFilters`; every file written since names all of them (parsing fills defaults). */
const fieldsBeforeDecoder = ['imageSize', 'channels', 'latentDim', 'recon', 'baseFilters'] as const

const modelConfigObject = z.strictObject({
  imageSize: z.union([z.literal(32), z.literal(64), z.literal(128)]).default(64),
  channels: z.union([z.literal(1), z.literal(3)]).default(3),
  latentDim: z.number().int().min(2).max(256).default(32),
  /**
   * Reconstruction term, summed over pixels: 'gaussian' is the calibrated decoder (σ-VAE), a
   * Gaussian log-likelihood at the run's measured noise level (see model/losses.ts). Saved configs
   * always name it (see `fieldsBeforeDecoder`), so the default only reaches new projects.
   */
  recon: z.enum(reconKinds).default(defaultRecon),
  /** The network's width: the decoder's last hidden block has this many filters, doubled toward the bottleneck. */
  baseFilters: z.number().int().min(4).max(128).default(32),
  /**
   * Always set by parsing. Optional in the type only so that configs written in code before the
   * field existed keep compiling, with their old meaning (`decoderKind()` reads absent as legacy).
   */
  decoder: z.enum(decoderKinds).optional(),
  /** The encoder's first-block filters, doubled per block; absent: `baseFilters` (every project saved before the field). */
  encoderFilters: z.number().int().min(4).max(128).optional()
})

/**
 * A plain `.default()` cannot tell an old project from a new one: both arrive without `decoder`
 * or `encoderFilters`. What tells them apart is the rest of the object: a saved config
 * (project.json, a checkpoint's run, a client of the old contract) names every field that existed
 * before them, a new project's options name some or none. The first keeps the network its weights
 * were trained for (the first decoder; an encoder as wide as `baseFilters`), the second gets
 * today's. A field the config names is kept.
 */
function fillNewFields(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input
  const saved = fieldsBeforeDecoder.every((field) => field in input)
  return saved ? { decoder: legacyDecoder, ...input } : { decoder: defaultDecoder, encoderFilters: defaultEncoderFilters, ...input }
}

export const modelConfigSchema = z.preprocess<unknown, typeof modelConfigObject, z.input<typeof modelConfigObject>>(
  fillNewFields,
  modelConfigObject
)
export type ModelConfig = z.infer<typeof modelConfigSchema>
/** Each field's own schema (limits for forms). */
export const modelConfigFields = modelConfigObject.shape

/** The decoder a config means: one written in code without the field means the studio's first. */
export function decoderKind(cfg: Pick<ModelConfig, 'decoder'>): DecoderKind {
  return cfg.decoder ?? legacyDecoder
}

/** The encoder's first-block filters a config means: without the field, as wide as the decoder (every earlier project). */
export function encoderWidth(cfg: Pick<ModelConfig, 'baseFilters' | 'encoderFilters'>): number {
  return cfg.encoderFilters ?? cfg.baseFilters
}

export const warmupSchema = z.strictObject({
  kind: z.enum(['none', 'linear', 'cyclical']).default('none'),
  /** Steps to ramp β from 0 (linear) or length of one cycle (cyclical). */
  steps: z.number().int().min(1).max(10_000_000).default(1000)
})
export type Warmup = z.infer<typeof warmupSchema>

export const runLengthUnits = ['steps', 'minutes', 'epochs'] as const
export type RunLengthUnit = (typeof runLengthUnits)[number]

/** What a run length may be, per unit: each field of the page and each CLI flag checks the same. */
export const runAmountSchemas = {
  steps: z.number().int().min(1).max(10_000_000),
  minutes: z.number().min(0.1).max(100_000),
  epochs: z.number().int().min(1).max(100_000)
} satisfies Record<RunLengthUnit, z.ZodNumber>

/**
 * How long the model trains in all, in the unit the user thinks in (src/shared/run-length.ts does
 * the arithmetic). A stopped run resumes to the same end; a finished one is extended by raising it.
 */
export const runLengthSchema = z
  .strictObject({
    unit: z.enum(runLengthUnits).default('steps'),
    /** In `unit`; null: the length recommended for the dataset (enough steps for faces to appear). */
    amount: z.number().nullable().default(null)
  })
  .superRefine((length, ctx) => {
    if (length.amount === null) return
    const checked = runAmountSchemas[length.unit].safeParse(length.amount)
    if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...issue, path: ['amount'] } as never)
  })
export type RunLength = z.infer<typeof runLengthSchema>
export const recommendedRunLength: RunLength = { unit: 'steps', amount: null }

/** The sharpen weight the Train view's switch and `train --sharpen` use: the one measured best (test/experiments/sharp-faces). */
export const suggestedSharpen = 0.75

export const trainConfigSchema = z.strictObject({
  length: runLengthSchema.default(recommendedRunLength),
  batchSize: z.number().int().min(1).max(1024).default(64),
  /**
   * Adam's. 2e-3 trains faces faster than the usual 1e-3 (Olivetti, the default model, 10 minutes:
   * face FD .082 vs .097, grid 1.13 vs 1.56); 3e-3 diverged (test/experiments/sharp-faces).
   * Projects keep the rate they were saved with.
   */
  learningRate: z.number().positive().max(10).default(2e-3),
  /** The KL's weight. The default is cross-entropy's; a new project's follows its loss (`suggestedBeta`, in `createProject`). */
  beta: z.number().min(0).max(1000).default(1),
  warmup: warmupSchema.default({ kind: 'none', steps: 1000 }),
  /** Fraction of the dataset held out for validation (never trained on). */
  valFraction: z.number().min(0).max(0.5).default(0.1),
  /** Mirror images left-right at random during training. */
  augmentFlip: z.boolean().default(false),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /**
   * A checkpoint every so many steps, and on the way there at ⅛, ¼ and ½ of it (so the timeline
   * sees the start of a run); also on pause, stop and at the end.
   */
  checkpointEverySteps: z.number().int().min(1).max(1_000_000).default(200),
  /**
   * Worker threads that share each batch (the wasm backend computes on one core per thread);
   * 0 uses one per core. Runs resume with the same numbers whatever the count.
   */
  workers: z.number().int().min(0).max(64).default(0),
  /**
   * The "sharpen" term's weight w (0: off): a patch discriminator judges reconstructions from step
   * `sharpenAfter` on, for crisper detail at some speed (see engine/train/sharpen.ts). Needs worker threads.
   */
  sharpen: z.number().min(0).max(10).default(0),
  sharpenAfter: z.number().int().min(0).max(1_000_000).default(300),
  /**
   * Measure sample quality (face Fréchet distance, KID, identity) at checkpoints in the background,
   * on a budget that keeps the cost to training small; faces only.
   */
  quality: z.boolean().default(true)
})
export type TrainConfig = z.infer<typeof trainConfigSchema>

export const defaultImportOptions: ImportOptions = importOptionsSchema.parse({})
export const defaultModelConfig: ModelConfig = modelConfigSchema.parse({})
export const defaultTrainConfig: TrainConfig = trainConfigSchema.parse({})
