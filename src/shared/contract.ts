/**
 * The one contract between the renderer and the host, shared by both transports (Electron IPC and
 * the serve-mode WebSocket): one table declares every method — its request schema (request types
 * are inferred from it), its result type, where it runs, and which request fields name files.
 * The typed client, host validation and path checks, engine dispatch, Electron's IPC channels
 * and the malformed-request corpus all derive from it, and the host and the engine must each
 * implement every method the table gives them (a missing handler does not compile). Requests
 * travel by method name; only the Electron edge turns names into IPC channels
 * (transport/ipc-channels.ts).
 *
 * Adding a method: one entry below, then its handler — in the host's `hostHandlers` for
 * `host<…>()`, in one of the engine session's handler modules for `engine<…>()`.
 */
import { z } from 'zod'
import { importOptionsSchema, modelConfigSchema, samplingKinds, trainConfigSchema } from './config'
import type { EngineStatus, StudioEvents, TrainEpoch, TrainState } from './events'
import type { RawImage } from './images'
import type * as R from './results'
import type { TrainPlan } from './run-length'

export type * from './results'

interface MethodSpec<S extends z.ZodType, Result, Runs extends 'host' | 'engine'> {
  runs: Runs
  request: S
  /** The request's fields that name files or folders: the host confines them to folders the user chose. */
  paths?(request: z.output<S>): Array<string | undefined>
  /** An export that writes a file: sent without a path, the desktop app asks where, suggesting this name. */
  saveAs?(request: z.output<S>): string
  /**
   * Changes which project is open or what it holds: waits until the host's running `sequence`
   * (the start-up project's create-then-import) is done, so no other client's change comes between.
   */
  changesProject?: true
  /** Phantom: the result type travels in the type only. */
  result?: Result
}

type Extras<S extends z.ZodType> = Pick<MethodSpec<S, unknown, 'host'>, 'paths' | 'saveAs' | 'changesProject'>

/** Answered by the host itself (settings, dialogs, folder listings, the engine process's life). */
const host =
  <Result>() =>
  <S extends z.ZodType>(request: S, extras: Extras<S> = {}): MethodSpec<S, Result, 'host'> => ({ runs: 'host', request, ...extras })

/** Passed on to the engine process. */
const engine =
  <Result>() =>
  <S extends z.ZodType>(request: S, extras: Extras<S> = {}): MethodSpec<S, Result, 'engine'> => ({ runs: 'engine', request, ...extras })

const path = z.string().min(1).max(4096)
const none = z.undefined()
const finite = z.number().finite()
/** Any byte array (z.instanceof would narrow it to ArrayBuffer-backed ones, which typed code cannot promise). */
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array')
const rawImage = z
  .strictObject({
    width: z.number().int().min(1).max(4096),
    height: z.number().int().min(1).max(4096),
    channels: z.union([z.literal(1), z.literal(3)]),
    pixels: bytes
  })
  .refine((img) => img.pixels.length === img.width * img.height * img.channels, 'pixels must hold width × height × channels bytes')
// recentProjects is written by the host only: a page that could set it could make a folder look chosen.
const settingsPatch = z.strictObject({
  lastImportOptions: importOptionsSchema.optional(),
  lastTrainConfig: trainConfigSchema.optional(),
  theme: z.enum(['system', 'light', 'dark']).optional()
})
const indices = z.array(z.number().int().min(0)).min(1).max(4096)
const index = z.number().int().min(0)
const code = z.array(finite).min(2).max(256)
const latentRef = z.union([z.strictObject({ index }), z.strictObject({ code })])
/** Names of saved recipes and attributes (the project file holds the same limit). */
export const latentNameSchema = z.string().trim().min(1).max(100)
const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
const temperature = z.number().min(0).max(10)
/** Where sample codes come from: absent, the mixture fitted to the faces' codes (`defaultSampling`). */
const sampling = z.enum(samplingKinds).optional()
const unit = z.number().min(0).max(1)
const noise = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gaussian'), sigma: unit }),
  z.strictObject({ kind: z.literal('salt-pepper'), amount: unit }),
  z.strictObject({ kind: z.literal('mask'), x: unit, y: unit, width: unit, height: unit })
])
const folderPurpose = z.enum(['import', 'open-project', 'new-project', 'export-model', 'export-samples'])

/** A point in latent space: a dataset image's mean code, or an explicit code. */
export type LatentRef = z.infer<typeof latentRef>
export type NoiseSpec = z.infer<typeof noise>
/** Why a folder is asked for: sets the native dialog's title and whether it may create folders. */
export type FolderPurpose = z.infer<typeof folderPurpose>
/** An export's bytes, and where they were written (null: nowhere, e.g. serve mode or a cancelled dialog). */
export interface SavedFile {
  path: string | null
  bytes: Uint8Array
}

export const methods = {
  engineInfo: engine<R.EngineInfo>()(none),
  /** Whether the engine process runs, and why it last ended. */
  engineStatus: host<EngineStatus>()(none),
  /** Starts the engine again after the host stopped restarting it (too many failures in a row). */
  engineRestart: host<EngineStatus>()(none),
  settingsGet: host<R.Settings>()(none),
  settingsSet: host<R.Settings>()(settingsPatch),

  /** Asks the user for a folder (native dialog, or null in serve mode where the page asks). */
  dialogPickFolder: host<string | null>()(z.strictObject({ purpose: folderPurpose })),
  /** Lists a folder for the in-page folder chooser of serve mode (the listing checks the path, after `~` is expanded). */
  filesList: host<{ path: string; parent: string | null; entries: R.DirEntry[] }>()(z.strictObject({ path })),
  /** The chooser's shortcuts, how to reach other folders, and where it opens for `purpose` (exports: made if missing). */
  filesPlaces: host<R.FolderPlaces>()(z.strictObject({ purpose: folderPurpose })),

  projectCreate: engine<R.ProjectSummary>()(z.strictObject({ path, name: z.string().min(1).max(200).optional() }), {
    paths: (req) => [req.path],
    changesProject: true
  }),
  projectOpen: engine<R.ProjectSummary>()(z.strictObject({ path }), { paths: (req) => [req.path], changesProject: true }),
  projectSave: engine<R.ProjectSummary>()(none),
  projectCurrent: engine<R.ProjectSummary | null>()(none),
  projectRecent: host<string[]>()(none),

  datasetImport: engine<R.ImportResult>()(z.strictObject({ folder: path, options: importOptionsSchema }), {
    paths: (req) => [req.folder],
    changesProject: true
  }),
  datasetDemo: engine<R.ImportResult>()(
    z.strictObject({
      count: z.number().int().min(16).max(50_000),
      seed,
      size: z.union([z.literal(32), z.literal(64), z.literal(128)]).optional()
    }),
    { changesProject: true }
  ),
  /** Stops the running import; the previous dataset stays as it was. */
  datasetCancel: engine<{ cancelled: boolean }>()(none),
  datasetThumbnails: engine<RawImage[]>()(z.strictObject({ from: index, count: z.number().int().min(1).max(512) })),
  datasetSkipped: engine<R.SkippedFile[]>()(none),
  /** A dataset image in its source photo, with every face found there and this one's labels. */
  datasetFace: engine<R.FaceDetail>()(z.strictObject({ index })),
  /** Leaves images out of the dataset (with `wholePhotos`, every face of their photos). */
  datasetExclude: engine<R.ImportResult>()(z.strictObject({ indices, wholePhotos: z.boolean().default(false) })),
  /** Undoes the latest `datasetExclude` still kept (the newest ten are): what it left out comes back. */
  datasetUndoExclude: engine<R.ImportResult>()(none),
  /** The face detector's score of every dataset image, by row (null for images imported whole), for reviewing unsure faces. */
  datasetScores: engine<Array<number | null>>()(none),

  trainStart: engine<TrainState>()(z.strictObject({ model: modelConfigSchema, train: trainConfigSchema }), { changesProject: true }),
  /**
   * What a run with these settings would take: the model's training so far, the recommended
   * length for the dataset and the pace to expect (this project's, the running one's, or with
   * `measure` a few steps timed now), so a length and its time can be shown before starting.
   */
  trainPlan: engine<TrainPlan>()(z.strictObject({ train: trainConfigSchema, measure: z.boolean().default(true) })),
  trainPause: engine<TrainState>()(none),
  trainResume: engine<TrainState>()(none),
  trainStop: engine<TrainState>()(none),
  trainSetBeta: engine<{ beta: number }>()(z.strictObject({ beta: z.number().min(0).max(1000) })),
  trainHistory: engine<{
    rows: R.HistoryRow[]
    epochs: Omit<TrainEpoch, 'reconstructions' | 'samples'>[]
    betaChanges: Array<{ step: number; beta: number }>
  }>()(none),

  modelEncode: engine<R.Encoding>()(z.strictObject({ indices })),
  modelDecode: engine<RawImage[]>()(z.strictObject({ z: z.array(code).min(1).max(256) })),
  modelSample: engine<R.Sample>()(z.strictObject({ count: z.number().int().min(1).max(256), temperature, seed, sampling })),
  modelReconstruct: engine<RawImage[]>()(z.strictObject({ indices })),
  /**
   * Measures sample quality at the newest checkpoint (also while training; `quality:point` reports
   * it to every client) and keeps the figures in the project. Refused where the images are not faces.
   */
  qualityMeasure: engine<R.QualityPoint>()(
    z.strictObject({ samples: z.number().int().min(16).max(4096).default(256), seed: seed.default(0), temperature: temperature.default(1) })
  ),
  /** Every quality measurement of the project, or why the metric does not apply. */
  qualityHistory: engine<R.QualityHistory>()(none),
  latentMap: engine<R.LatentMap>()(
    z.strictObject({
      axes: z.enum(['pca', 'dims']),
      dims: z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255)]).optional()
    })
  ),

  latentInterpolate: engine<R.Sample>()(
    z.strictObject({ a: latentRef, b: latentRef, frames: z.number().int().min(2).max(64), mode: z.enum(['linear', 'spherical']) })
  ),
  latentArithmetic: engine<{ z: number[]; image: RawImage }>()(z.strictObject({ a: indices, b: indices, c: indices })),
  recipeSave: engine<R.LatentRecipe[]>()(z.strictObject({ name: latentNameSchema, a: indices, b: indices, c: indices })),
  recipeList: engine<R.LatentRecipe[]>()(none),
  recipeDelete: engine<R.LatentRecipe[]>()(z.strictObject({ name: latentNameSchema })),
  attributeCreate: engine<R.LatentAttribute[]>()(z.strictObject({ name: latentNameSchema, withIndices: indices, withoutIndices: indices })),
  /** An attribute from face finding's automatic labels in one step: smiling (happy), older (age), female (gender). */
  attributeFromLabel: engine<R.LatentAttribute[]>()(
    z.strictObject({ label: z.enum(['happy', 'age', 'gender']), name: latentNameSchema.optional() })
  ),
  attributeList: engine<R.LatentAttribute[]>()(none),
  attributeDelete: engine<R.LatentAttribute[]>()(z.strictObject({ name: latentNameSchema })),
  /** The image at `ref` with the attribute added at each amount (negative removes it). */
  attributeApply: engine<R.Sample>()(
    z.strictObject({ ref: latentRef, name: latentNameSchema, amounts: z.array(z.number().min(-20).max(20)).min(1).max(64) })
  ),
  toolsDenoise: engine<R.DenoiseResult>()(z.strictObject({ index, noise, seed })),
  toolsCompression: engine<R.CompressionResult>()(z.strictObject({ index })),
  toolsNearest: engine<R.NearestResult>()(z.strictObject({ code })),
  latentTimeline: engine<{ frames: R.TimelineFrame[]; skipped: string[] }>()(
    z.strictObject({ count: z.number().int().min(1).max(64), seed, temperature })
  ),
  /** Restores the code a studio-exported PNG carries in its metadata. */
  latentFromPng: engine<{ code: number[]; seed?: number; checkpointStep?: number }>()(
    z.strictObject({ png: bytes.refine((b) => b.byteLength <= 50_000_000, 'PNG larger than 50 MB') })
  ),

  /** A decoded code as PNG with the code, seed and checkpoint in its text metadata. */
  exportCodePng: engine<SavedFile>()(z.strictObject({ code, seed: seed.optional(), path: path.optional() }), {
    paths: (req) => [req.path],
    saveAs: () => 'vae-studio-code.png'
  }),
  exportAnimation: engine<SavedFile>()(
    z.strictObject({
      frames: z.array(rawImage).min(1).max(256),
      format: z.enum(['gif', 'webp']),
      delayMs: z.number().int().min(10).max(10_000),
      loop: z.number().int().min(0).max(65535),
      path: path.optional()
    }),
    { paths: (req) => [req.path], saveAs: (req) => `vae-studio.${req.format}` }
  ),
  /**
   * N generated faces as separate PNGs (each carrying its code and seed) and a manifest.csv, in a
   * new or empty folder that appears whole or not at all; `export:progress` reports, `exportCancel` stops.
   */
  exportSamples: engine<{ folder: string; count: number }>()(
    z.strictObject({
      folder: path,
      count: z.number().int().min(1).max(100_000),
      temperature,
      seed,
      sampling
    }),
    { paths: (req) => [req.folder] }
  ),
  /** Stops a running `exportSamples`; nothing of it is left behind. */
  exportCancel: engine<{ cancelled: boolean }>()(none),
  /** Encoder and decoder in TensorFlow.js layers format, loadable by plain `tf.loadLayersModel`. */
  exportModel: engine<R.ExportedModel>()(z.strictObject({ folder: path }), { paths: (req) => [req.folder] }),
  /** Writes a PNG of images laid out in a grid; returns the written path (or bytes in serve mode). */
  exportPng: engine<SavedFile>()(
    z.strictObject({ images: z.array(rawImage).min(1).max(1024), columns: z.number().int().min(1).max(64), path: path.optional() }),
    {
      paths: (req) => [req.path],
      saveAs: () => 'vae-studio.png'
    }
  )
} satisfies Record<string, MethodSpec<z.ZodType, unknown, 'host' | 'engine'>>

/** Any entry of the table, for code that handles every method alike (validation, path checks). */
export type ContractMethod = MethodSpec<z.ZodType, unknown, 'host' | 'engine'>
export type MethodName = keyof typeof methods
type Spec<M extends MethodName> = (typeof methods)[M]
/** What a client sends (defaults may be left out). */
export type Request<M extends MethodName> = z.input<Spec<M>['request']>
/** What a handler receives: the request as validated, defaults filled in. */
export type ParsedRequest<M extends MethodName> = z.output<Spec<M>['request']>
export type Result<M extends MethodName> = Spec<M> extends MethodSpec<z.ZodType, infer Out, 'host' | 'engine'> ? Out : never
export type HostMethod = { [M in MethodName]: Spec<M>['runs'] extends 'host' ? M : never }[MethodName]
export type EngineMethod = Exclude<MethodName, HostMethod>

/** A method's implementation: what the host or the engine session provides for it. */
export type Handler<M extends MethodName> =
  undefined extends ParsedRequest<M>
    ? (request?: ParsedRequest<M>) => Promise<Result<M>>
    : (request: ParsedRequest<M>) => Promise<Result<M>>
export type Handlers<M extends MethodName> = { [K in M]: Handler<K> }

export type StudioApi = {
  [M in MethodName]: undefined extends Request<M>
    ? (request?: Request<M>) => Promise<Result<M>>
    : (request: Request<M>) => Promise<Result<M>>
} & {
  on<E extends keyof StudioEvents>(event: E, listener: (payload: StudioEvents[E]) => void): () => void
}

/** The methods of one domain, by their name's first word: `MethodsOf<'dataset'>` is `datasetImport | datasetDemo | …`. */
export type MethodsOf<Domain extends string> = Extract<MethodName, `${Domain}${Capitalize<string>}`>

/** The engine's methods of one domain: what that domain's handler module in the engine session answers. */
export type EngineMethodsOf<Domain extends string> = Extract<MethodsOf<Domain>, EngineMethod>

export const methodNames = Object.keys(methods) as MethodName[]
/** The one allow-list: a request names a method of the table, or it is refused. */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}
export const engineMethodNames = methodNames.filter((m): m is EngineMethod => methods[m].runs === 'engine')
