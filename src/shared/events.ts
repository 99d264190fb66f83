/** Events pushed from the engine to every client while work runs. */
import type { RawImage } from './images'
import type { AppCommand } from './transport/app-command'

export type TrainStateName = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed'

export interface TrainState {
  state: TrainStateName
  /** Why the run stopped or failed, in words a user can act on. */
  reason?: string
}

export interface TrainProgress {
  step: number
  epoch: number
  /** Steps in the whole run and per epoch, for ETA and progress bars. */
  totalSteps: number
  stepsPerEpoch: number
  loss: number
  recon: number
  kl: number
  /** β used for this step (after warm-up), and the target β the user set. */
  beta: number
  targetBeta: number
  imgPerSec: number
  etaSec: number
}

export interface TrainEpoch {
  epoch: number
  step: number
  trainLoss: number
  trainRecon: number
  trainKl: number
  valLoss: number
  valRecon: number
  valKl: number
  /** Mean KL per latent dimension over the validation set (nats). */
  klPerDim: number[]
  /** Dimensions whose KL exceeds 0.01 nats: the others have collapsed to the prior. */
  activeUnits: number
  /** Alternating original, reconstruction pairs of fixed validation images. */
  reconstructions: RawImage[]
  /** A grid of samples from a fixed seed, comparable from epoch to epoch. */
  samples: RawImage[]
}

/** A notice the engine raised while training went on (e.g. a NaN step rolled back). */
export interface TrainNotice {
  step: number
  message: string
}

export interface ImportProgress {
  done: number
  total: number
  imported: number
  skipped: number
  current?: string
}

export interface EngineCrash {
  message: string
  /** True once a fresh engine process is up again. */
  restarted: boolean
}

export interface StudioEvents {
  'dataset:progress': ImportProgress
  'train:progress': TrainProgress
  'train:epoch': TrainEpoch
  'train:state': TrainState
  'train:notice': TrainNotice
  'engine:crash': EngineCrash
  /** A native menu command (Electron only), for the renderer to carry out. */
  'app:command': AppCommand
}
