/** Events pushed from the engine to every client while work runs. */
import type { RunLengthUnit } from './config'
import type { RawImage } from './images'
import type { ProjectSummary, QualityPoint } from './results'
import type { TrainState } from './train-state'
import type { AppCommand } from './transport/app-command'

export type { TrainState, TrainStateName } from './train-state'

export interface TrainProgress {
  step: number
  /** The epoch this step belongs to (0-based), counted by images seen, whatever the batch size. */
  epoch: number
  /** Training images seen in all, and how many make an epoch. */
  imagesSeen: number
  epochImages: number
  /** The step the run ends at (for a run bound by minutes, estimated from its pace), and steps per epoch at this batch size. */
  totalSteps: number
  stepsPerEpoch: number
  /** The run's length in all (a recommended one as its steps), and how much of it is done, 0…1. */
  length: { unit: RunLengthUnit; amount: number }
  fraction: number
  /** Seconds spent training in all, pauses left out. */
  trainedSec: number
  loss: number
  recon: number
  kl: number
  /** β used for this step (after warm-up), and the target β the user set. */
  beta: number
  targetBeta: number
  /** Both measured over the last second or so (a step may hold fewer images than a batch); 0 until then. */
  stepsPerSec: number
  imgPerSec: number
  /** Seconds left: exact for a run bound by minutes, else at the measured pace (null until measured). */
  etaSec: number | null
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
  /** With face finding: faces found so far (`imported` counts them too). */
  faces?: number
  /** Seconds the rest should take at the pace so far; absent until it can be told. */
  etaSec?: number
  /** The last report of an import, however it ended (done, cancelled, failed): no import is running now. */
  ended?: true
}

/**
 * The engine process as the host sees it. After a crash the host starts a fresh one after a short
 * delay ('restarting'); after too many failures close together it gives up ('stopped') until the
 * user asks for a restart, so a start-up failure cannot become a fork loop.
 */
export interface EngineStatus {
  state: 'starting' | 'ready' | 'restarting' | 'stopped'
  /** Why the engine process last ended, in the words it left (its last stderr line); null until it does. */
  crash: { message: string } | null
}

/** A declaration of an event: its payload type travels in the type only. */
const event = <Payload>() => ({}) as { payload?: Payload }

/** Every event the host pushes to its clients, declared once (as the methods are in contract.ts). */
export const events = {
  'dataset:progress': event<ImportProgress>(),
  /** Generated faces written so far by `exportSamples`. */
  'export:progress': event<{ done: number; total: number }>(),
  'train:progress': event<TrainProgress>(),
  'train:epoch': event<TrainEpoch>(),
  'train:state': event<TrainState>(),
  'train:notice': event<TrainNotice>(),
  /** A sample-quality measurement finished (at a checkpoint while training, or asked for). */
  'quality:point': event<QualityPoint>(),
  'engine:status': event<EngineStatus>(),
  /**
   * The engine's open project was opened, created or given new images, by any client (the start-up
   * project of the desktop app, the menu, another tab): clients show what the engine holds.
   */
  'project:changed': event<ProjectSummary>(),
  /** A native menu command (Electron only), for the renderer to carry out. */
  'app:command': event<AppCommand>()
}

export type EventName = keyof typeof events
export type StudioEvents = { [E in EventName]: NonNullable<(typeof events)[E]['payload']> }
