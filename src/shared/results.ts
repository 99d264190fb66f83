/**
 * What the contract's methods answer (see contract.ts, which re-exports these): plain,
 * structured-clone-safe data, images as `RawImage`s.
 */
import type { DatasetOptions, ImportOptions, ModelConfig, Sampling, TrainConfig } from './config'
import type { TrainState } from './train-state'
import type { RawImage } from './images'

export interface EngineInfo {
  backend: string
  availableBackends: string[]
  tfjsVersion: string
  cores: number
  platform: string
  /**
   * Training runs on worker threads here (the wasm backend), so the thread count and the sharpen
   * option (its critic's optimizer lives in the workers' shared memory) apply; other backends train
   * on the engine's thread.
   */
  workerThreads: boolean
  /** What decodes and encodes images: sharp, or @napi-rs/image where sharp could not load (`problem` says why). */
  imageLibrary: { name: string; problem?: string }
}

export interface SkippedFile {
  file: string
  reason: string
  /** Imported by face finding: which face of the file (1 = the first the detector found). */
  face?: number
}

export interface ImportResult {
  imported: number
  skipped: SkippedFile[]
  /** Files whose content was identical to an earlier one (imported once). */
  duplicates: number
  /** With face finding: what was found (absent for imports of whole files). */
  faces?: FaceImportSummary
  /**
   * A folder import: the options as the import settled them, which the project keeps: the colour
   * it chose for 'auto', face finding off when the folder held face crops already.
   */
  options?: DatasetOptions
  /**
   * Things the user should know about how this import went, one sentence each, to be shown with
   * the summary: a folder of face crops imported whole, grey images stored as one channel, small
   * portraits kept whole, a damaged face cache set aside.
   */
  notices?: string[]
}

export interface FaceImportSummary {
  /** Photos looked at (copies and unreadable files left out). */
  photos: number
  /** Faces imported, one image each. */
  faces: number
  photosWithoutFace: number
  /** Faces found but left out by the options (too small, not the largest). */
  facesSkipped: number
  /**
   * Small portraits (≤ 256 px) in which no face was found, imported whole instead of left out, in
   * a folder made mostly of such portraits (face crops); not counted in `photosWithoutFace`.
   */
  keptWhole?: number
  /**
   * Most photos had no face: likely not a folder of face photos (shoes, landscapes), or crops too
   * tight for the detector; importing the whole files (face finding off) is the better choice.
   */
  mostlyNoFaces: boolean
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
  /** The images are faces found and aligned at import, each with automatic labels. */
  faces: boolean
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

/** A folder the in-page chooser offers as a shortcut: the home folder, where the studio started, an allowed one. */
export interface FolderPlace {
  label: string
  path: string
}

/** What the in-page folder chooser offers besides a listing. */
export interface FolderPlaces {
  places: FolderPlace[]
  /** How to make another folder reachable (serve mode: the command line with `--allow`); null where a dialog does it. */
  howToAdd: string | null
  /** Where the chooser opens for this purpose (exports: a visible pictures folder); null: where the user last worked. */
  start: string | null
}

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

/** One dataset image in its source photo (see `datasetFace`). */
export interface FaceDetail {
  /** The source file, relative to the imported folder. */
  file: string
  /** The photo, upright, its longer side at most 640 px. */
  photo: RawImage
  /** Photo pixels per preview pixel. */
  scale: number
  /** Every face found in the photo, boxes in preview pixels: the row it became, or why it was left out. */
  faces: Array<{
    box: { x: number; y: number; width: number; height: number }
    row: number | null
    reason?: string
    /** Its place among the photo's faces (1 = the first the detector found), as the skipped list names it. */
    n: number
    /** How sure the detector was that this is a face, 0..1. */
    score: number
  }>
  /** What the nets said of this image's face; null for images imported whole. */
  labels: { age: number; gender: 'male' | 'female'; genderProbability: number; expressions: Record<string, number> } | null
}

/** A distance between two halves of the real faces: how low a figure can usefully go on this dataset. */
export interface QualityFloor {
  frechet: number
  kid: number
}

/**
 * How good generated faces are at one checkpoint, in a face-recognition net's embedding space:
 * Fréchet and kernel distance (KID) of samples (codes as `sampling` says) to the real faces, and how well
 * reconstructions of held-out faces keep their identity (mean cosine similarity).
 */
export interface QualityPoint {
  /** The checkpoint's training step. */
  step: number
  frechet: number
  kid: number
  kidStd: number
  identity: number
  /**
   * The samples' fine detail (spectral power beyond half the Nyquist radius) ÷ the real faces':
   * 1 = as sharp as them. Absent in measurements taken before it existed.
   */
  sharpness?: number
  /**
   * Power at the frequencies where stride-2 upsampling leaves seams and checkerboards, ÷ the real
   * faces': 1 = no more than them. Absent in measurements taken before it existed.
   */
  grid?: number
  /** Generated samples compared with the real faces. */
  samples: number
  /** Real faces compared with (their embeddings are cached per dataset). */
  reference: number
  /** Held-out faces whose reconstructions give `identity`. */
  heldOut: number
  floor: QualityFloor
  temperature: number
  /** Where the samples' codes came from (see `Sampling`); absent in measurements taken before the fitted codes: the prior. */
  sampling?: Sampling
  /** Wall-clock seconds the measurement took. */
  seconds: number
}

/** Every measurement of the open project, or why the metric does not apply to its images. */
export interface QualityHistory {
  applies: boolean
  /** When it does not apply (not faces, no model yet), in words a user can act on. */
  reason?: string
  points: QualityPoint[]
}
