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
import type { StudioEvents, TrainEpoch, TrainState } from './events'

export interface EngineInfo {
  backend: string
  availableBackends: string[]
  tfjsVersion: string
  cores: number
  platform: string
  /** 'electron' in the desktop app, 'serve' in browser mode, 'cli' from the command line. */
  transport: 'electron' | 'serve' | 'cli'
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

export interface StudioApi {
  engineInfo(): Promise<EngineInfo>
  settingsGet(): Promise<Settings>
  settingsSet(patch: Partial<Omit<Settings, 'recentProjects'>>): Promise<Settings>

  /** Asks the user for a folder (native dialog, or null in serve mode where the page asks). */
  dialogPickFolder(req: { purpose: 'import' | 'open-project' | 'new-project' }): Promise<string | null>
  /** Lists a folder for the in-page folder chooser of serve mode. */
  filesList(req: { path: string }): Promise<{ path: string; parent: string | null; entries: DirEntry[] }>

  projectCreate(req: { path: string; name?: string }): Promise<ProjectSummary>
  projectOpen(req: { path: string }): Promise<ProjectSummary>
  projectSave(): Promise<ProjectSummary>
  projectCurrent(): Promise<ProjectSummary | null>
  projectRecent(): Promise<string[]>

  datasetImport(req: { folder: string; options: ImportOptions }): Promise<ImportResult>
  datasetDemo(req: { count: number; seed: number }): Promise<ImportResult>
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

/** Every request is validated against these before it reaches a handler. */
export const requestSchemas: { [M in MethodName]: z.ZodType<Request<M>> } = {
  engineInfo: none,
  settingsGet: none,
  settingsSet: settingsPatch,
  dialogPickFolder: z.strictObject({ purpose: z.enum(['import', 'open-project', 'new-project']) }),
  filesList: z.strictObject({ path }),
  projectCreate: z.strictObject({ path, name: z.string().min(1).max(200).optional() }),
  projectOpen: z.strictObject({ path }),
  projectSave: none,
  projectCurrent: none,
  projectRecent: none,
  datasetImport: z.strictObject({ folder: path, options: importOptionsSchema }),
  datasetDemo: z.strictObject({ count: z.number().int().min(16).max(50_000), seed: z.number().int().min(0).max(2 ** 31 - 1) }),
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
  exportPng: z.strictObject({ images: z.array(rawImage).min(1).max(1024), columns: z.number().int().min(1).max(64), path: path.optional() })
} as { [M in MethodName]: z.ZodType<Request<M>> }
