/**
 * The one contract between the renderer and the host, shared by both transports (Electron IPC and
 * the serve-mode WebSocket). Adding a method: add it to `StudioApi`, give it a channel in
 * `channels.ts` and a request schema below, and implement it in the host.
 */
import { z } from 'zod'
import {
  importOptionsSchema,
  modelConfigSchema,
  trainConfigSchema,
  type ImportOptions,
  type ModelConfig,
  type TrainConfig
} from './config'
import type { RawImage } from './images'
import type { EngineStatus, StudioEvents, TrainEpoch, TrainState } from './events'

export interface EngineInfo {
  backend: string
  availableBackends: string[]
  tfjsVersion: string
  cores: number
  platform: string
  /** 'electron' in the desktop app, 'serve' in browser mode, 'cli' from the command line. */
  transport: 'electron' | 'serve' | 'cli'
  /** What decodes and encodes images: sharp, or @napi-rs/image where sharp could not load (`problem` says why). */
  imageLibrary: { name: string; problem?: string }
}

export interface SkippedFile {
  file: string
  reason: string
}

export interface ImportResult {
  imported: number
  skipped: SkippedFile[]
  /** Files whose content was identical to an earlier one (imported once). */
  duplicates: number
}

export interface HistoryRow {
  step: number
  epoch: number
  loss: number
  recon: number
  kl: number
  beta: number
}

export interface ProjectSummary {
  path: string
  name: string
  /** Where the images came from: a folder path, or 'demo'. */
  source: string
  imageCount: number
  imageSize: number
  channels: 1 | 3
  model: ModelConfig
  train: TrainConfig
  /** The latest checkpoint's step and epoch, or null before training. */
  checkpoint: { step: number; epoch: number; beta: number } | null
  trainState: TrainState
}

export interface Settings {
  recentProjects: string[]
  lastImportOptions: ImportOptions
  lastTrainConfig: TrainConfig
  theme: 'system' | 'light' | 'dark'
}

export interface Encoding {
  mu: number[][]
  logVar: number[][]
}

export interface LatentMap {
  /** One 2-D point per dataset image, in dataset order. */
  points: Array<[number, number]>
  /** The two latent-space directions behind the axes (unit vectors of length latentDim). */
  axes: [number[], number[]]
  /** Mean code of the dataset, the origin of the PCA plane. */
  origin: number[]
}

export interface Sample {
  z: number[][]
  images: RawImage[]
}

export interface DirEntry {
  name: string
  path: string
  kind: 'dir' | 'file'
}

/** A point in latent space: a dataset image's mean code, or an explicit code. */
export type LatentRef = { index: number } | { code: number[] }

/** A saved "a − b + c" recipe over dataset images (codes are recomputed with the current model). */
export interface LatentRecipe {
  name: string
  a: number[]
  b: number[]
  c: number[]
  createdAt: string
}

/** A named direction in latent space: mean code of `with` images minus mean of `without`. */
export interface LatentAttribute {
  name: string
  vector: number[]
  withIndices: number[]
  withoutIndices: number[]
  createdAt: string
}

export type NoiseSpec =
  | { kind: 'gaussian'; sigma: number }
  | { kind: 'salt-pepper'; amount: number }
  | { kind: 'mask'; x: number; y: number; width: number; height: number }

export interface DenoiseResult {
  clean: RawImage
  noisy: RawImage
  denoised: RawImage
  psnrNoisy: number
  psnrDenoised: number
  ssimNoisy: number
  ssimDenoised: number
}

/** "The VAE as a codec": the code's size against PNG and JPEG, and what the reconstruction keeps. */
export interface CompressionResult {
  original: RawImage
  reconstruction: RawImage
  latentDim: number
  /** The code μ as float32 / float16 values. */
  codeBytesFloat32: number
  codeBytesFloat16: number
  /** Uncompressed pixels. */
  rawBytes: number
  pngBytes: number
  /** JPEG at quality 90, with its own PSNR for a like-for-like comparison. */
  jpegBytes: number
  jpegPsnr: number
  /** Reconstruction from μ against the original (PSNR in dB, Infinity if identical). */
  psnr: number
  ssim: number
  /** PSNR of the reconstruction from μ rounded to float16: what halving the code size costs. */
  psnrFloat16: number
}

export interface NearestResult {
  index: number
  /** RMS pixel difference in [0, 1]: near 0 means the model reproduced a training image. */
  distance: number
  generated: RawImage
  nearest: RawImage
}

export interface TimelineFrame {
  step: number
  epoch: number
  images: RawImage[]
}

export interface ExportedModel {
  folder: string
  encoder: string
  decoder: string
  latentDim: number
  imageSize: number
  channels: number
}

/** Why a folder is asked for: sets the native dialog's title and whether it may create folders. */
export type FolderPurpose = 'import' | 'open-project' | 'new-project' | 'export-model'

export interface StudioApi {
  engineInfo(): Promise<EngineInfo>
  /** Whether the engine process runs, and why it last ended. */
  engineStatus(): Promise<EngineStatus>
  /** Starts the engine again after the host stopped restarting it (too many failures in a row). */
  engineRestart(): Promise<EngineStatus>
  settingsGet(): Promise<Settings>
  settingsSet(patch: Partial<Omit<Settings, 'recentProjects'>>): Promise<Settings>

  /** Asks the user for a folder (native dialog, or null in serve mode where the page asks). */
  dialogPickFolder(req: { purpose: FolderPurpose }): Promise<string | null>
  /** Lists a folder for the in-page folder chooser of serve mode. */
  filesList(req: { path: string }): Promise<{ path: string; parent: string | null; entries: DirEntry[] }>

  projectCreate(req: { path: string; name?: string }): Promise<ProjectSummary>
  projectOpen(req: { path: string }): Promise<ProjectSummary>
  projectSave(): Promise<ProjectSummary>
  projectCurrent(): Promise<ProjectSummary | null>
  projectRecent(): Promise<string[]>

  datasetImport(req: { folder: string; options: ImportOptions }): Promise<ImportResult>
  datasetDemo(req: { count: number; seed: number; size?: 32 | 64 | 128 }): Promise<ImportResult>
  datasetThumbnails(req: { from: number; count: number }): Promise<RawImage[]>
  datasetSkipped(): Promise<SkippedFile[]>

  trainStart(req: { model: ModelConfig; train: TrainConfig }): Promise<TrainState>
  trainPause(): Promise<TrainState>
  trainResume(): Promise<TrainState>
  trainStop(): Promise<TrainState>
  trainSetBeta(req: { beta: number }): Promise<{ beta: number }>
  trainHistory(): Promise<{ rows: HistoryRow[]; epochs: Omit<TrainEpoch, 'reconstructions' | 'samples'>[]; betaChanges: Array<{ step: number; beta: number }> }>

  modelEncode(req: { indices: number[] }): Promise<Encoding>
  modelDecode(req: { z: number[][] }): Promise<RawImage[]>
  modelSample(req: { count: number; temperature: number; seed: number }): Promise<Sample>
  modelReconstruct(req: { indices: number[] }): Promise<RawImage[]>
  latentMap(req: { axes: 'pca' | 'dims'; dims?: [number, number] }): Promise<LatentMap>

  latentInterpolate(req: { a: LatentRef; b: LatentRef; frames: number; mode: 'linear' | 'spherical' }): Promise<Sample>
  latentArithmetic(req: { a: number[]; b: number[]; c: number[] }): Promise<{ z: number[]; image: RawImage }>
  recipeSave(req: { name: string; a: number[]; b: number[]; c: number[] }): Promise<LatentRecipe[]>
  recipeList(): Promise<LatentRecipe[]>
  recipeDelete(req: { name: string }): Promise<LatentRecipe[]>
  attributeCreate(req: { name: string; withIndices: number[]; withoutIndices: number[] }): Promise<LatentAttribute[]>
  attributeList(): Promise<LatentAttribute[]>
  attributeDelete(req: { name: string }): Promise<LatentAttribute[]>
  /** The image at `ref` with the attribute added at each amount (negative removes it). */
  attributeApply(req: { ref: LatentRef; name: string; amounts: number[] }): Promise<Sample>
  toolsDenoise(req: { index: number; noise: NoiseSpec; seed: number }): Promise<DenoiseResult>
  toolsCompression(req: { index: number }): Promise<CompressionResult>
  toolsNearest(req: { code: number[] }): Promise<NearestResult>
  latentTimeline(req: { count: number; seed: number; temperature: number }): Promise<{ frames: TimelineFrame[]; skipped: string[] }>
  /** Restores the code a studio-exported PNG carries in its metadata. */
  latentFromPng(req: { png: Uint8Array }): Promise<{ code: number[]; seed?: number; checkpointStep?: number }>

  /** A decoded code as PNG with the code, seed and checkpoint in its text metadata. */
  exportCodePng(req: { code: number[]; seed?: number; path?: string }): Promise<{ path: string | null; png: Uint8Array }>
  exportAnimation(req: { frames: RawImage[]; format: 'gif' | 'webp'; delayMs: number; loop: number; path?: string }): Promise<{ path: string | null; bytes: Uint8Array }>
  /** Encoder and decoder in TensorFlow.js layers format, loadable by plain `tf.loadLayersModel`. */
  exportModel(req: { folder: string }): Promise<ExportedModel>

  /** Writes a PNG of images laid out in a grid; returns the written path (or bytes in serve mode). */
  exportPng(req: { images: RawImage[]; columns: number; path?: string }): Promise<{ path: string | null; png: Uint8Array }>

  on<E extends keyof StudioEvents>(event: E, listener: (payload: StudioEvents[E]) => void): () => void
}

export type MethodName = Exclude<keyof StudioApi, 'on'>
export type Request<M extends MethodName> = Parameters<StudioApi[M]> extends [infer R] ? R : undefined
export type Response<M extends MethodName> = Awaited<ReturnType<StudioApi[M]>>

// Kept in a zod-free module so the sandboxed preload can bundle them; add new channels there.
export { channels, eventNames } from './channels'

const path = z.string().min(1).max(4096)
const none = z.undefined()
const finite = z.number().finite()
const rawImage = z.strictObject({
  width: z.number().int().min(1).max(4096),
  height: z.number().int().min(1).max(4096),
  channels: z.union([z.literal(1), z.literal(3)]),
  pixels: z.instanceof(Uint8Array)
}).refine((img) => img.pixels.length === img.width * img.height * img.channels, 'pixels must hold width × height × channels bytes')
// recentProjects is written by the host only: a page that could set it could make a folder look chosen.
const settingsPatch = z.strictObject({
  lastImportOptions: importOptionsSchema.optional(),
  lastTrainConfig: trainConfigSchema.optional(),
  theme: z.enum(['system', 'light', 'dark']).optional()
})
const indices = z.array(z.number().int().min(0)).min(1).max(4096)
const code = z.array(finite).min(2).max(256)
const latentRef = z.union([z.strictObject({ index: z.number().int().min(0) }), z.strictObject({ code })])
const name = z.string().trim().min(1).max(100)
const seed = z.number().int().min(0).max(2 ** 31 - 1)
const unit = z.number().min(0).max(1)
const noise = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gaussian'), sigma: unit }),
  z.strictObject({ kind: z.literal('salt-pepper'), amount: unit }),
  z.strictObject({ kind: z.literal('mask'), x: unit, y: unit, width: unit, height: unit })
])

/** Every request is validated against these before it reaches a handler. */
export const requestSchemas: { [M in MethodName]: z.ZodType<Request<M>> } = {
  engineInfo: none,
  engineStatus: none,
  engineRestart: none,
  settingsGet: none,
  settingsSet: settingsPatch,
  dialogPickFolder: z.strictObject({ purpose: z.enum(['import', 'open-project', 'new-project', 'export-model']) }),
  filesList: z.strictObject({ path }),
  projectCreate: z.strictObject({ path, name: z.string().min(1).max(200).optional() }),
  projectOpen: z.strictObject({ path }),
  projectSave: none,
  projectCurrent: none,
  projectRecent: none,
  datasetImport: z.strictObject({ folder: path, options: importOptionsSchema }),
  datasetDemo: z.strictObject({
    count: z.number().int().min(16).max(50_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    size: z.union([z.literal(32), z.literal(64), z.literal(128)]).optional()
  }),
  datasetThumbnails: z.strictObject({ from: z.number().int().min(0), count: z.number().int().min(1).max(512) }),
  datasetSkipped: none,
  trainStart: z.strictObject({ model: modelConfigSchema, train: trainConfigSchema }),
  trainPause: none,
  trainResume: none,
  trainStop: none,
  trainSetBeta: z.strictObject({ beta: z.number().min(0).max(1000) }),
  trainHistory: none,
  modelEncode: z.strictObject({ indices }),
  modelDecode: z.strictObject({ z: z.array(z.array(finite).min(2).max(256)).min(1).max(256) }),
  modelSample: z.strictObject({
    count: z.number().int().min(1).max(256),
    temperature: z.number().min(0).max(10),
    seed: z.number().int().min(0).max(2 ** 31 - 1)
  }),
  modelReconstruct: z.strictObject({ indices }),
  latentMap: z.strictObject({
    axes: z.enum(['pca', 'dims']),
    dims: z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255)]).optional()
  }),
  latentInterpolate: z.strictObject({ a: latentRef, b: latentRef, frames: z.number().int().min(2).max(64), mode: z.enum(['linear', 'spherical']) }),
  latentArithmetic: z.strictObject({ a: indices, b: indices, c: indices }),
  recipeSave: z.strictObject({ name, a: indices, b: indices, c: indices }),
  recipeList: none,
  recipeDelete: z.strictObject({ name }),
  attributeCreate: z.strictObject({ name, withIndices: indices, withoutIndices: indices }),
  attributeList: none,
  attributeDelete: z.strictObject({ name }),
  attributeApply: z.strictObject({ ref: latentRef, name, amounts: z.array(z.number().min(-20).max(20)).min(1).max(64) }),
  toolsDenoise: z.strictObject({ index: z.number().int().min(0), noise, seed }),
  toolsCompression: z.strictObject({ index: z.number().int().min(0) }),
  toolsNearest: z.strictObject({ code }),
  latentTimeline: z.strictObject({ count: z.number().int().min(1).max(64), seed, temperature: z.number().min(0).max(10) }),
  latentFromPng: z.strictObject({ png: z.instanceof(Uint8Array).refine((b) => b.byteLength <= 50_000_000, 'PNG larger than 50 MB') }),
  exportCodePng: z.strictObject({ code, seed: seed.optional(), path: path.optional() }),
  exportAnimation: z.strictObject({
    frames: z.array(rawImage).min(1).max(256),
    format: z.enum(['gif', 'webp']),
    delayMs: z.number().int().min(10).max(10_000),
    loop: z.number().int().min(0).max(65535),
    path: path.optional()
  }),
  exportModel: z.strictObject({ folder: path }),
  exportPng: z.strictObject({ images: z.array(rawImage).min(1).max(1024), columns: z.number().int().min(1).max(64), path: path.optional() })
} as { [M in MethodName]: z.ZodType<Request<M>> }
